/** Port declarations: what a module class accepts, emits and exposes. */
import type { PayloadType } from './payload.ts';

export interface InputPortDecl {
  payload: PayloadType;
  description: string;
  /** May stay unconnected (Spark marks these `X | None`). */
  optional?: boolean;
}

export interface OutputPortDecl {
  payload: PayloadType;
  description: string;
}

export interface PropertyDecl {
  payload: PayloadType;
  description: string;
  /** Writable properties are plasticity targets ("effects"). */
  writable?: boolean;
}
