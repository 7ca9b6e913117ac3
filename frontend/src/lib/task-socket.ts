import { useSyncExternalStore } from 'react';
import { env } from '@/config/env';

export type SocketStatus = 'idle' | 'connecting' | 'open' | 'closed';
type Listener = (message: unknown) => void;

const MAX_BACKOFF_MS = 30_000;
// Route changes unsubscribe and resubscribe within a tick; keep the socket
// open briefly so that does not cost a reconnect.
const IDLE_CLOSE_MS = 3_000;

export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt);
  return Math.round(base * (0.5 + random() / 2));
}

function socketUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}${env.VITE_API_BASE}/ws`;
}

/** One websocket for the whole app, multiplexing task subscriptions, reconnecting with backoff. */
class TaskSocket {
  private ws: WebSocket | null = null;
  private readonly subscriptions = new Map<number, Set<Listener>>();
  private readonly statusListeners = new Set<() => void>();
  private status: SocketStatus = 'idle';
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  subscribe(taskId: number, listener: Listener): () => void {
    let listeners = this.subscriptions.get(taskId);
    if (!listeners) {
      listeners = new Set();
      this.subscriptions.set(taskId, listeners);
      this.send({ subscribe: taskId });
    }
    listeners.add(listener);
    clearTimeout(this.idleTimer);
    this.ensureConnected();
    return () => this.unsubscribe(taskId, listener);
  }

  getStatus = (): SocketStatus => this.status;

  onStatus = (listener: () => void): (() => void) => {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  };

  /** Drop the connection for good (logout); it reopens on the next subscription. */
  close(): void {
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.idleTimer);
    this.subscriptions.clear();
    const ws = this.ws;
    this.ws = null;
    ws?.close();
    this.setStatus('idle');
  }

  private unsubscribe(taskId: number, listener: Listener): void {
    const listeners = this.subscriptions.get(taskId);
    if (!listeners) return;
    listeners.delete(listener);
    if (listeners.size > 0) return;
    this.subscriptions.delete(taskId);
    this.send({ unsubscribe: taskId });
    if (this.subscriptions.size === 0) {
      this.idleTimer = setTimeout(() => {
        if (this.subscriptions.size === 0) this.close();
      }, IDLE_CLOSE_MS);
    }
  }

  private ensureConnected(): void {
    if (this.ws || this.reconnectTimer !== undefined) return;
    this.connect();
  }

  private connect(): void {
    this.reconnectTimer = undefined;
    this.setStatus('connecting');
    const ws = new WebSocket(socketUrl());
    this.ws = ws;
    ws.addEventListener('open', () => {
      this.attempt = 0;
      this.setStatus('open');
      for (const taskId of this.subscriptions.keys()) this.send({ subscribe: taskId });
    });
    ws.addEventListener('message', (message: MessageEvent) => this.dispatch(message.data));
    ws.addEventListener('close', () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.setStatus('closed');
      if (this.subscriptions.size > 0) this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    const delay = backoffDelay(this.attempt);
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private dispatch(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    const taskId = (message as { task_id?: unknown } | null)?.task_id;
    if (typeof taskId !== 'number') return;
    for (const listener of this.subscriptions.get(taskId) ?? []) listener(message);
  }

  private send(payload: object): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(payload));
  }

  private setStatus(status: SocketStatus): void {
    if (this.status === status) return;
    this.status = status;
    for (const listener of this.statusListeners) listener();
  }
}

export const taskSocket = new TaskSocket();

export function useSocketStatus(): SocketStatus {
  return useSyncExternalStore(taskSocket.onStatus, taskSocket.getStatus);
}
