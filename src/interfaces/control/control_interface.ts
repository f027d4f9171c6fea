/**
 * Control interface base: reshapes or selects a stream without changing its payload type.
 * Port `inputs` accepts any payload type (in a controller, several sources listed for it are
 * concatenated first); `output` carries the same type. Spark: spark/nn/interfaces/control/base.py.
 */
import { Module } from '../../core/module.ts';
import type { InputPortDecl, OutputPortDecl, PropertyDecl } from '../../core/port.ts';

export const controlInputs: Record<string, InputPortDecl> = {
  inputs: {
    payload: 'float_array',
    generic: true,
    description: 'Any payload; several sources listed for this port arrive flattened and concatenated in list order.',
  },
};
export const controlOutputs: Record<string, OutputPortDecl> = {
  output: { payload: 'float_array', payloadFrom: 'inputs', description: 'Same payload type as the input.' },
};

export abstract class ControlInterface extends Module {
  static readonly category = 'control' as const;
  static readonly inputs = controlInputs;
  static readonly outputs = controlOutputs;
  static readonly properties: Record<string, PropertyDecl> = {};
}
