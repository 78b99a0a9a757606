import { RenderFault } from "./errors.ts";
import { eq } from "./operators.ts";
import { PyCallable, noKeywords, type KwArgs } from "./py-callable.ts";

/** What `loop.changed(…)` compares with: the arguments of its previous call, shared by every iteration of one loop. */
interface ChangedState {
  last?: readonly unknown[];
}

/**
 * `loop` inside `{% for %}`, as Jinja2's LoopContext: position fields, `previtem`/`nextitem`
 * (undefined at the ends), `cycle(…)`, `changed(…)`, and `depth` for recursive loops.
 */
export class LoopContext extends PyCallable {
  readonly typeName = "LoopContext";
  constructor(
    private readonly items: readonly unknown[],
    private readonly i: number,
    private readonly state: ChangedState,
    private readonly depth0: number,
    private readonly site: number,
    /** The loop's body as a function of the items and the depth; only for `recursive` loops. */
    private readonly recurse?: (items: unknown, depth0: number) => string,
  ) {
    super();
  }

  /** `loop(children)` in a recursive loop: the body over `children`, one level deeper. */
  call(args: readonly unknown[], kwargs: KwArgs, site: number): string {
    if (!this.recurse)
      throw new RenderFault(
        "`loop(…)` renders the loop again only in a recursive loop: write `{% for x in items recursive %}`",
        site,
      );
    noKeywords("loop()", kwargs, site);
    if (args.length !== 1) throw new RenderFault(`loop() takes exactly one argument (${args.length} given)`, site);
    return this.recurse(args[0], this.depth0 + 1);
  }

  override getAttr(name: string): unknown {
    const { i, items } = this;
    const n = items.length;
    switch (name) {
      case "index":
        return i + 1;
      case "index0":
        return i;
      case "revindex":
        return n - i;
      case "revindex0":
        return n - i - 1;
      case "first":
        return i === 0;
      case "last":
        return i === n - 1;
      case "length":
        return n;
      case "depth":
        return this.depth0 + 1;
      case "depth0":
        return this.depth0;
      case "previtem":
        return i > 0 ? items[i - 1] : undefined;
      case "nextitem":
        return i < n - 1 ? items[i + 1] : undefined;
      case "cycle":
        return (...values: unknown[]) => {
          if (!values.length) throw new RenderFault("no items for cycling given", this.site);
          return values[i % values.length];
        };
      case "changed":
        return (...values: unknown[]) => {
          const last = this.state.last;
          this.state.last = values;
          return !(last && last.length === values.length && last.every((v, k) => eq(v, values[k])));
        };
      default:
        return undefined;
    }
  }
}

/** The `loop` of iteration `i` over `items`; `state` is made once per loop (`newLoopState`). */
export function loopContext(
  items: readonly unknown[],
  i: number,
  state: ChangedState,
  depth0: number,
  site: number,
  recurse?: (items: unknown, depth0: number) => string,
): LoopContext {
  return new LoopContext(items, i, state, depth0, site, recurse);
}

export function newLoopState(): ChangedState {
  return {};
}
