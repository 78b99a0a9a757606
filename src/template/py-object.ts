/**
 * An engine object with attributes: `loop`, a `namespace`, a `cycler`. `obj.name` asks
 * `getAttr(name)` (undefined: no such attribute, the lookup yields an Undefined naming
 * it); `obj.name(…)` calls the JS function `getAttr` returns with the positional arguments.
 */
export abstract class PyObject {
  /** Python's type name, for messages (`LoopContext`, `Namespace`, `Cycler`). */
  abstract readonly typeName: string;
  /** The attribute `name`, or undefined when there is none. */
  abstract getAttr(name: string): unknown;
}
