"""The tests' one support layer: the database (migrate), the process stack (web, workers, beat) and
the factories that create rows through the services."""
