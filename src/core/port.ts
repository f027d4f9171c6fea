/** Port declarations: what a module class accepts, emits and exposes. */
import type { PayloadType } from './payload.ts';

export interface InputPortDecl {
  payload: PayloadType;
  description: string;
  /** May stay unconnected (Spark marks these `X | None`). */
  optional?: boolean;
  /**
   * Accepts any payload type (control interfaces); `payload` is then only the type assumed when
   * a controller input feeds the port directly.
   */
  generic?: boolean;
}

export interface OutputPortDecl {
  payload: PayloadType;
  description: string;
  /** Carries the payload type of this (generic) input port; `payload` is the fallback. */
  payloadFrom?: string;
}

export interface PropertyDecl {
  payload: PayloadType;
  description: string;
  /** Writable properties are plasticity targets ("effects"). */
  writable?: boolean;
}
