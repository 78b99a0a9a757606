import { shellQuote } from "./shell-quote.ts";

/** Where one `{{ }}` output of a `run:` template lands in the shell command. */
export type ShellSlot =
  /** Unquoted shell text (possibly glued to other word text): the value gets `shellQuote`. */
  | { kind: "word" }
  /** Inside a heredoc body; `expands` is false for `<<'EOF'`, `<<"EOF"`, `<<\EOF`, true for `<<EOF`. */
  | { kind: "heredoc"; terminator: string; expands: boolean }
  /** A place no value can go safely; reported at load time with the hint. */
  | { kind: "error"; message: string; hint: string };

/** A value that cannot be put into its slot safely (the message says why and how to fix it). */
export class ShellValueError extends Error {
  override name = "ShellValueError";
}

type Dialect = "posix" | "bash";
/** What the lexer just read that a value glued on next would change: `$`, `$name`, a leading `~`. */
type Tail = "none" | "bare" | "name" | "tilde";
type CasePhase = "subject" | "in" | "pattern" | "body";
/** Command text: the top level, or the inside of `$( … )`. */
interface CmdCtx {
  kind: "cmd";
  subst: boolean;
  paren: number;
  /** At a place where a reserved word (`case`, `esac`, `((`) is recognised. */
  cmdPos: boolean;
  inWord: boolean;
  /** The current word while it is plain unquoted text (candidate reserved word). */
  word: string;
  plain: boolean;
  /** Unquoted `{` not yet closed in the current word: bash brace expansion. */
  brace: number;
  /** Inside `name[` or a leading `[` of a word: a bash array subscript (arithmetic). */
  subscript: boolean;
  /** In a `declare`/`local`/… command, and whether it (or `let`/`eval`) runs its arguments as code. */
  declaring: boolean;
  evaluates: boolean;
  /** Every word so far in this command was an assignment: bash reads `name[ … ]` whole here. */
  afterAssign: boolean;
  /** Inside bash `[[ … ]]`: its outputs, refused at `]]` if an arithmetic operator was seen. */
  test: { arith: boolean; outs: number[] } | undefined;
  cases: Array<{ baseline: number; phase: CasePhase }>;
}
type Ctx =
  | CmdCtx
  | { kind: "sq" | "dq" | "ansi" | "bq" | "comment" | "hdbody" }
  | { kind: "subscript"; depth: number }
  | { kind: "param"; inDq: boolean }
  | { kind: "arith"; paren: number; bracket: boolean };
interface Heredoc {
  terminator: string;
  strip: boolean;
  expands: boolean;
  owner: CmdCtx;
}

/** The template text as one string, with each output as a `\0` placeholder at `outAt[i] >= 0`. */
interface Source {
  text: string;
  outAt: readonly number[];
}

const QUOTES_HINT = "drop the quotes; the value is quoted for you";
const error = (message: string, hint: string): ShellSlot => ({ kind: "error", message, hint });
/** Why an output cannot go where it is, and how to fix the command. */
const ERR = {
  sq: error("`{{ }}` inside quotes in a run: command", QUOTES_HINT),
  dq: error("`{{ }}` inside quotes in a run: command", QUOTES_HINT),
  ansi: error("`{{ }}` inside quotes ($'…') in a run: command", QUOTES_HINT),
  bq: error("`{{ }}` inside backticks in a run: command", "use $( … ) instead of backticks"),
  comment: error(
    "`{{ }}` inside a shell comment in a run: command",
    "move it out of the comment: a value with a newline would end the comment and run",
  ),
  subscript: error(
    "`{{ }}` inside an array subscript: bash evaluates it as arithmetic, which can run commands",
    "compute the index in the template",
  ),
  param: error("`{{ }}` inside ${ … } in a run: command", 'assign the value to a variable first (v={{ … }}), then use "${v…}"'),
  arith: error(
    "`{{ }}` inside shell arithmetic ($(( … )), (( … )), $[ … ]) in a run: command",
    "compute the number in the template, or assign it to a variable first",
  ),
  bodySubst: error("`{{ }}` inside $( … ) or ${ … } in a heredoc body", 'set a variable before the heredoc (v={{ … }}) and use "$v" inside'),
  backslash: error("a backslash right before `{{ }}` would escape the quoting of the value", "remove the backslash"),
  dollar: error("`$` right before `{{ }}` would turn the value into an expansion", "remove the `$`, or escape it as \\$"),
  name: error("`{{ }}` right after `$name` would extend the variable name", "write ${name}{{ … }}"),
  tilde: error("`~{{ }}` would expand to a user's home directory when the value is a plain name", 'write ~/{{ … }} or "$HOME"/{{ … }}'),
  braces: error(
    "`{{ }}` inside a `{…}` brace expansion: bash would split the value at commas",
    "build the list in the template, or put the braces in the value",
  ),
  arithTest: error(
    "`{{ }}` in a [[ … ]] test with an arithmetic operator: bash evaluates the value as code (a[$(cmd)])",
    'compare as strings ([ "$a" = … ]) or check the number in the template',
  ),
  evaluates: error(
    "`{{ }}` in the arguments of let, eval or declare -i: the shell runs the value as code",
    "pass the value as data, or use {{ x | raw }} if it is trusted code",
  ),
  dialects: error("`{{ }}` sits in shell text that sh and bash read differently", "simplify the quoting, heredocs or `$'…'` / `((` around it"),
} as const;
const ARITH_OPS = new Set(["-eq", "-ne", "-lt", "-le", "-gt", "-ge"]);
const DECLARATIONS = new Set(["declare", "typeset", "local", "export", "readonly"]);
const KEYWORDS = new Set(["!", "{", "}", "then", "do", "else", "elif", "if", "while", "until", "time", "for"]);
const METACHARS = " \t\n;&|<>()";
const stripTabs = (line: string) => line.replace(/^\t+/, "");

const newCmd = (subst: boolean): CmdCtx => ({
  kind: "cmd",
  subst,
  paren: 0,
  cmdPos: true,
  inWord: false,
  word: "",
  plain: true,
  brace: 0,
  subscript: false,
  declaring: false,
  evaluates: false,
  afterAssign: false,
  test: undefined,
  cases: [],
});

/**
 * One pass of the POSIX shell lexer over a template's text, as one dialect reads it.
 * Outputs are `\0` placeholders in `src`; `outAt[i]` is the output's ordinal, or -1.
 * It tracks only what decides where an output lands, and gives up ("poison") from the
 * first construct whose extent it cannot be sure of.
 */
class Scanner {
  readonly slots: ShellSlot[] = [];
  private stack: Ctx[] = [newCmd(false)];
  private i = 0;
  private end: number;
  private escaped = false;
  private dollar: Tail = "none";
  private pending: Heredoc[] = [];
  private poison: ShellSlot | undefined;
  private inBody = false;
  /** The slot of the unquoted heredoc body being lexed, if any. */
  private currentBody: ShellSlot | undefined;
  /** Outputs whose heredoc line could spell the terminator together with the value. */
  private readonly flagged = new Map<number, ShellSlot>();

  private readonly src: string;
  private readonly outAt: readonly number[];

  constructor(
    private readonly source: Source,
    private readonly dialect: Dialect,
  ) {
    this.src = source.text;
    this.outAt = source.outAt;
    this.end = source.text.length;
  }

  run(): ShellSlot[] {
    this.lex();
    return this.slots;
  }

  private lex(): void {
    while (this.i < this.end) {
      const ord = this.outAt[this.i]!;
      if (ord >= 0) this.output(ord);
      else this.char();
    }
  }

  private top(): Ctx {
    return this.stack[this.stack.length - 1]!;
  }

  private setPoison(message: string, hint: string): void {
    this.poison ??= error(message, hint);
  }

  /** The next significant char at or after `pos`, skipping `\`-newline; "" for an output or the end. */
  private look(pos: number): { ch: string; pos: number } {
    while (this.src[pos] === "\\" && this.src[pos + 1] === "\n" && pos + 1 < this.end) pos += 2;
    if (pos >= this.end || this.outAt[pos]! >= 0) return { ch: "", pos };
    return { ch: this.src[pos]!, pos };
  }

  private output(ord: number): void {
    const ctx = this.top();
    let slot: ShellSlot;
    if (this.poison) slot = this.poison;
    else if (ctx.kind !== "cmd" && ctx.kind !== "hdbody") slot = ERR[ctx.kind];
    else if (ctx.kind === "cmd" && this.inBody) slot = ERR.bodySubst;
    else if (this.escaped) slot = ERR.backslash;
    else if (this.dollar === "bare") slot = ERR.dollar;
    else if (this.dollar === "name") slot = ERR.name;
    else if (this.dollar === "tilde") slot = ERR.tilde;
    else if (ctx.kind === "cmd" && ctx.brace > 0) slot = ERR.braces;
    else if (ctx.kind === "cmd" && ctx.subscript) slot = ERR.subscript;
    else if (ctx.kind === "cmd" && ctx.evaluates) slot = ERR.evaluates;
    else if (ctx.kind === "hdbody") slot = this.flagged.get(this.i) ?? this.bodySlot();
    else slot = { kind: "word" };
    this.slots[ord] = slot;
    if (ctx.kind === "cmd") ctx.test?.outs.push(ord);
    if (ctx.kind === "cmd") this.markWord(ctx, "");
    this.escaped = false;
    this.dollar = "none";
    this.i++;
  }

  private bodySlot(): ShellSlot {
    return this.currentBody ?? error("internal: heredoc body without a heredoc", "please report this");
  }

  private markWord(ctx: CmdCtx, plainChar: string): void {
    ctx.inWord = true;
    if (plainChar === "") ctx.plain = false;
    else ctx.word += plainChar;
  }

  private char(): void {
    const ctx = this.top();
    const c = this.src[this.i]!;
    const continues = ctx.kind !== "sq" && ctx.kind !== "comment";
    if (!this.escaped && continues && c === "\\" && this.src[this.i + 1] === "\n" && this.i + 1 < this.end) {
      this.i += 2; // line continuation: invisible to the lexer, keeps every state
      return;
    }
    const prevDollar = this.dollar;
    this.dollar = "none";
    if (this.escaped) {
      this.escaped = false;
      if (ctx.kind === "cmd") this.markWord(ctx, "");
      this.i++;
      return;
    }
    switch (ctx.kind) {
      case "cmd":
        return this.cmdChar(ctx, c, prevDollar);
      case "sq":
        if (c === "'") this.stack.pop();
        this.i++;
        return;
      case "comment":
        if (c === "\n") this.stack.pop();
        else this.i++;
        return;
      case "ansi":
      case "bq":
        if (c === "\\") this.escaped = true;
        else if (c === (ctx.kind === "bq" ? "`" : "'")) this.stack.pop();
        this.i++;
        return;
      default:
        return this.expandingChar(ctx, c, prevDollar);
    }
  }

  /** `"…"`, `${ … }`, `$(( … ))` and an unquoted heredoc body: only expansions are special. */
  private expandingChar(ctx: Ctx, c: string, prevDollar: Tail): void {
    if (c === "\\") this.escaped = true;
    else if (c === "$") return this.dollarSign(ctx.kind === "dq" || ctx.kind === "hdbody" || (ctx.kind === "param" && ctx.inDq));
    else if (c === "`") this.stack.push({ kind: "bq" });
    else if (ctx.kind === "dq" && c === '"') this.stack.pop();
    else if (ctx.kind === "param") {
      if (c === "}") this.stack.pop();
      else if (c === '"') this.stack.push({ kind: "dq" });
      else if (c === "'" && (this.dialect === "bash" || !ctx.inDq)) this.stack.push({ kind: "sq" });
    } else if (ctx.kind === "subscript") {
      // bash reads `name[ … ]` in an assignment as one matched pair: spaces, `;`, `<<` included
      if (c === "[") ctx.depth++;
      else if (c === "]" && ctx.depth > 0) ctx.depth--;
      else if (c === "]") {
        this.stack.pop();
        const below = this.top();
        if (below.kind === "cmd") below.word += "]";
      } else if (c === '"') this.stack.push({ kind: "dq" });
      else if (c === "'") this.stack.push({ kind: "sq" });
    } else if (ctx.kind === "arith" && ctx.bracket) {
      if (c === "[") ctx.paren++;
      else if (c === "]" && ctx.paren > 0) ctx.paren--;
      else if (c === "]") this.stack.pop();
    } else if (ctx.kind === "arith") {
      if (c === "(") ctx.paren++;
      else if (c === ")" && ctx.paren > 0) ctx.paren--;
      else if (c === ")" && this.look(this.i + 1).ch === ")") {
        this.stack.pop();
        this.i = this.look(this.i + 1).pos + 1;
        return;
      } else if (c === ")") this.setPoison("cannot tell where this $(( … )) ends", "put spaces between nested parentheses: $( (cmd) )");
      else if (c === '"') this.stack.push({ kind: "dq" });
      else if (c === "'") this.stack.push({ kind: "sq" });
    } else if (ctx.kind === "hdbody") this.trackName(c, prevDollar);
    this.i++;
  }

  private trackName(c: string, prevDollar: Tail): void {
    if ((prevDollar === "bare" && /[A-Za-z_]/.test(c)) || (prevDollar === "name" && /\w/.test(c))) this.dollar = "name";
  }

  /** `$` at `this.i`: `$(`, `$((`, `${`, bash `$'…'`, or a literal/parameter `$`. */
  private dollarSign(inDq: boolean): void {
    const a = this.look(this.i + 1);
    if (a.ch === "(") {
      const b = this.look(a.pos + 1);
      if (b.ch === "(") {
        this.stack.push({ kind: "arith", paren: 0, bracket: false });
        this.i = b.pos + 1;
      } else {
        this.stack.push(newCmd(true));
        this.i = a.pos + 1;
      }
    } else if (a.ch === "{") {
      this.stack.push({ kind: "param", inDq });
      this.i = a.pos + 1;
    } else if (a.ch === "[" && this.dialect === "bash") {
      this.stack.push({ kind: "arith", paren: 0, bracket: true }); // legacy bash $[ … ]
      this.i = a.pos + 1;
    } else if (a.ch === "'" && !inDq && this.dialect === "bash") {
      this.stack.push({ kind: "ansi" });
      this.i = a.pos + 1;
    } else {
      this.dollar = "bare";
      this.i++;
    }
  }

  private cmdChar(ctx: CmdCtx, c: string, prevDollar: Tail): void {
    if (c === " " || c === "\t" || c === "\n") {
      this.endWord(ctx);
      this.i++;
      if (c === "\n") this.newline(ctx);
      return;
    }
    if (c === "#" && !ctx.inWord) {
      this.stack.push({ kind: "comment" });
      this.i++;
      return;
    }
    if (METACHARS.includes(c)) {
      this.endWord(ctx);
      return this.operator(ctx, c);
    }
    if (c === "'" || c === '"' || c === "`" || c === "\\" || c === "$") {
      this.markWord(ctx, "");
      if (c === "$") return this.dollarSign(false);
      if (c === "\\") this.escaped = true;
      else this.stack.push({ kind: c === "'" ? "sq" : c === '"' ? "dq" : "bq" });
      this.i++;
      return;
    }
    if (c === "~" && !ctx.inWord) this.dollar = "tilde";
    if (c === "{") ctx.brace++;
    if (c === "}" && ctx.brace > 0) ctx.brace--;
    const caseTop = ctx.cases[ctx.cases.length - 1];
    const assignable = (ctx.cmdPos || ctx.afterAssign) && (!caseTop || caseTop.phase === "body");
    if (c === "[" && this.dialect === "bash" && assignable && ctx.plain && /^[A-Za-z_]\w*$/.test(ctx.word)) {
      this.markWord(ctx, c);
      this.stack.push({ kind: "subscript", depth: 0 });
      this.i++;
      return;
    }
    if (c === "[" && ctx.plain && /^([A-Za-z_]\w*)?$/.test(ctx.word)) ctx.subscript = true;
    if (c === "]") ctx.subscript = false;
    this.markWord(ctx, c);
    this.trackName(c, prevDollar);
    this.i++;
  }

  private operator(ctx: CmdCtx, c: string): void {
    if (c !== "<" && c !== ">") ctx.declaring = ctx.evaluates = ctx.afterAssign = false;
    const next = this.look(this.i + 1);
    const caseTop = ctx.cases[ctx.cases.length - 1];
    if ((c === "<" || c === ">") && next.ch === "(" && this.dialect === "bash") {
      this.markWord(ctx, ""); // bash process substitution <( … ) / >( … ): a word holding commands
      this.stack.push(newCmd(true));
      this.i = next.pos + 1;
      return;
    }
    if (c === "<" && next.ch === "<") {
      const third = this.look(next.pos + 1);
      if (third.ch === "<") {
        this.i = third.pos + 1; // bash here-string: the next word is an ordinary word
        return;
      }
      this.i = third.ch === "-" ? third.pos + 1 : next.pos + 1;
      return this.readDelimiter(ctx, third.ch === "-");
    }
    if (c === ";") {
      if (next.ch === ";" || next.ch === "&") {
        if (caseTop?.phase === "body") caseTop.phase = "pattern";
        ctx.cmdPos = false;
        const amp = next.ch === ";" ? this.look(next.pos + 1) : next;
        this.i = (amp.ch === "&" ? amp.pos : next.pos) + 1;
        return;
      }
      ctx.cmdPos = true;
    } else if (c === "&" || c === "|") {
      ctx.cmdPos = true;
    } else if (c === "(") {
      if (caseTop?.phase === "pattern") {
        // the optional `(` before a case pattern
      } else if (this.dialect === "bash" && ctx.cmdPos && next.ch === "(") {
        this.stack.push({ kind: "arith", paren: 0, bracket: false }); // bash `(( … ))` arithmetic command
        this.i = next.pos + 1;
        return;
      } else {
        ctx.paren++;
        ctx.cmdPos = true;
      }
    } else if (c === ")") {
      if (caseTop?.phase === "pattern" && ctx.paren === caseTop.baseline) {
        caseTop.phase = "body";
        ctx.cmdPos = true;
      } else if (ctx.paren > 0) {
        ctx.paren--;
        ctx.cmdPos = false;
      } else if (ctx.subst) {
        if (this.pending.some((h) => h.owner === ctx)) {
          this.setPoison("a heredoc inside $( … ) has no body before the `)`", "put the heredoc body before the closing `)`");
        }
        this.stack.pop();
      }
    }
    this.i++;
  }

  private endWord(ctx: CmdCtx): void {
    if (!ctx.inWord) return;
    const word = ctx.plain ? ctx.word : undefined;
    ctx.afterAssign = (ctx.cmdPos || ctx.afterAssign) && /^[A-Za-z_]\w*(\[\])?\+?=/.test(ctx.word);
    if (ctx.cmdPos && (word === "let" || word === "eval")) ctx.evaluates = true;
    if (ctx.cmdPos && word !== undefined && DECLARATIONS.has(word)) ctx.declaring = true;
    else if (ctx.declaring && word !== undefined && /^[-+][A-Za-z]*i/.test(word)) ctx.evaluates = true;
    ctx.inWord = false;
    ctx.word = "";
    ctx.plain = true;
    ctx.brace = 0;
    ctx.subscript = false;
    const top = ctx.cases[ctx.cases.length - 1];
    if (ctx.test) {
      if (word === "]]" && ctx.test.arith) for (const ord of ctx.test.outs) this.slots[ord] = this.poison ?? ERR.arithTest;
      if (word === "]]") ctx.test = undefined;
      else if (word !== undefined && ARITH_OPS.has(word)) ctx.test.arith = true;
    } else if (word === "[[" && ctx.cmdPos && this.dialect === "bash") {
      ctx.test = { arith: false, outs: [] };
      ctx.cmdPos = false;
    } else if (top?.phase === "subject") top.phase = "in";
    else if (top?.phase === "in") {
      if (word === "in") top.phase = "pattern";
    } else if (top?.phase === "pattern") {
      if (word === "esac") {
        ctx.cases.pop();
        ctx.cmdPos = false;
      }
    } else if (!ctx.cmdPos) return;
    else if (word === "case") {
      ctx.cases.push({ baseline: ctx.paren, phase: "subject" });
      ctx.cmdPos = false;
    } else if (word === "esac" && top?.phase === "body") {
      ctx.cases.pop();
      ctx.cmdPos = false;
    } else ctx.cmdPos = word !== undefined && KEYWORDS.has(word);
  }

  private newline(ctx: CmdCtx): void {
    const top = ctx.cases[ctx.cases.length - 1];
    if (top?.phase !== "pattern") ctx.cmdPos = true;
    ctx.declaring = ctx.evaluates = ctx.afterAssign = false;
    const mine = this.pending.filter((h) => h.owner === ctx);
    if (mine.length === 0) return;
    if (mine.length !== this.pending.length || this.inBody) {
      this.setPoison("heredocs are nested in a way this checker cannot follow", "move the inner heredoc out of $( … )");
    }
    this.pending = this.pending.filter((h) => h.owner !== ctx);
    for (const h of mine) this.readBody(h);
  }

  /** After `<<` / `<<-` (and `this.i` past it): the delimiter word, then register the heredoc. */
  private readDelimiter(ctx: CmdCtx, strip: boolean): void {
    const src = this.src;
    while (this.look(this.i).ch === " " || this.look(this.i).ch === "\t") this.i = this.look(this.i).pos + 1;
    let word = "";
    let quoted = false;
    let unreadable = false;
    let quote = "";
    while (this.i < this.end) {
      const ord = this.outAt[this.i]!;
      if (ord >= 0) {
        this.slots[ord] = this.poison ?? error("`{{ }}` in a heredoc delimiter", "write the terminator literally, e.g. <<'EOF'");
        unreadable = true;
        this.i++;
        continue;
      }
      const c = src[this.i]!;
      if (quote === "'") {
        if (c === "'") quote = "";
        else word += c;
      } else if (c === "\\" && this.i + 1 < this.end && this.outAt[this.i + 1]! >= 0) {
        quoted = true; // the output itself is reported on the next turn
      } else if (c === "\\" && (quote === "" || '\\"$`\n'.includes(src[this.i + 1] ?? ""))) {
        if (src[this.i + 1] !== "\n" || quote !== "") {
          quoted = true;
          word += src[this.i + 1] ?? "";
        }
        this.i++;
      } else if (quote === '"') {
        if (c === '"') quote = "";
        else word += c;
      } else if (this.dialect === "bash" && (c === "<" || c === ">") && this.look(this.i + 1).ch === "(") {
        unreadable = true; // bash reads `a>(x)` as one delimiter word
      } else if (METACHARS.includes(c)) break;
      else if (c === "'" || c === '"') {
        quote = c;
        quoted = true;
      } else if (c === "`" || (c === "$" && "'\"({".includes(src[this.i + 1] ?? ""))) {
        unreadable = true;
      } else word += c;
      this.i++;
    }
    if (unreadable || quote !== "") {
      this.setPoison("this heredoc's delimiter cannot be read statically", "write the terminator literally, e.g. <<'EOF'");
      return;
    }
    ctx.inWord = false;
    if (word !== "" || quoted) this.pending.push({ terminator: word, strip, expands: !quoted, owner: ctx });
  }

  /** `this.i` is at the first line of `h`'s body: find its end, assign its outputs, skip past it. */
  private readBody(h: Heredoc): void {
    const start = this.i;
    const { bodyEnd, next } = findTerminator(this.source, h, start, this.dialect);
    const risk = error(
      `text next to \`{{ }}\` on this heredoc line could join the value into the terminator line \`${h.terminator}\``,
      "choose another heredoc terminator",
    );
    for (const p of terminatorRisks(this.source, h, start, bodyEnd)) this.flagged.set(p, risk);
    const slot: ShellSlot = { kind: "heredoc", terminator: h.terminator, expands: h.expands };
    if (!h.expands) {
      for (let p = start; p < bodyEnd; p++) {
        const ord = this.outAt[p]!;
        if (ord >= 0) this.slots[ord] = this.poison ?? this.flagged.get(p) ?? slot;
      }
    } else {
      const [stack, end, inBody, body] = [this.stack, this.end, this.inBody, this.currentBody];
      this.stack = [{ kind: "hdbody" }];
      this.end = bodyEnd;
      this.inBody = true;
      this.currentBody = slot;
      this.escaped = false;
      this.dollar = "none";
      this.lex();
      [this.stack, this.end, this.inBody, this.currentBody] = [stack, end, inBody, body];
      this.escaped = false;
      this.dollar = "none";
    }
    this.i = next;
  }
}

const hasOutput = (src: Source, from: number, to: number) => src.outAt.slice(from, to).some((o) => o >= 0);

/**
 * Where the shell ends a heredoc body that starts at `start`. Lines holding an output
 * never end it (`insertIntoSlot` checks the value). In an unquoted body a line ending in
 * an odd number of `\` continues: bash compares the joined line with the terminator,
 * dash never ends the body on a continuation line.
 */
function findTerminator(src: Source, h: Heredoc, start: number, dialect: Dialect): { bodyEnd: number; next: number } {
  const n = src.text.length;
  const matches = (line: string) => (h.strip ? stripTabs(line) : line) === h.terminator;
  let pos = start;
  let logicalStart = start;
  let joined = "";
  let continued = false;
  while (pos < n) {
    const found = src.text.indexOf("\n", pos);
    const eol = found < 0 ? n : found;
    const raw = src.text.slice(pos, eol);
    const cont = h.expands && eol < n && /(^|[^\\])(\\\\)*\\$/.test(raw);
    if (dialect === "bash") {
      joined += cont ? raw.slice(0, -1) : raw;
      if (!cont) {
        if (!hasOutput(src, logicalStart, eol) && matches(joined)) return { bodyEnd: logicalStart, next: Math.min(eol + 1, n) };
        joined = "";
        logicalStart = eol + 1;
      }
    } else if (!continued && !hasOutput(src, pos, eol) && matches(raw)) {
      return { bodyEnd: pos, next: Math.min(eol + 1, n) };
    }
    continued = cont;
    pos = eol + 1;
  }
  return { bodyEnd: n, next: n };
}

/**
 * The static half of the terminator check: outputs on a body line whose literal text
 * could join a value into the terminator line (`E{{x}}`, `{{x}}F`, `{{a}}{{b}}`).
 * `insertIntoSlot` checks the value's own lines; this checks the joins it cannot see.
 */
function terminatorRisks(src: Source, h: Heredoc, start: number, bodyEnd: number): number[] {
  const t = h.terminator;
  const risky: number[] = [];
  let segs = [""];
  let outs: number[] = [];
  let backslashes = 0;
  const flush = () => {
    const k = outs.length;
    if (k === 0) return;
    const first = h.strip ? stripTabs(segs[0]!) : segs[0]!;
    const last = segs[k]!;
    const danger =
      (first !== "" && t.startsWith(first)) ||
      (last !== "" && t.endsWith(last)) ||
      segs.slice(1, k).some((m) => t.includes(m) || (h.strip && stripTabs(m) !== "" && t.startsWith(stripTabs(m))));
    if (danger) risky.push(...outs);
  };
  for (let p = start; p < bodyEnd; p++) {
    if (src.outAt[p]! >= 0) {
      segs.push("");
      outs.push(p);
      backslashes = 0;
      continue;
    }
    const c = src.text[p]!;
    if (c === "\n" && h.expands && backslashes % 2 === 1) {
      segs[segs.length - 1] = segs[segs.length - 1]!.slice(0, -1); // a continuation joins lines
    } else if (c === "\n") {
      flush();
      segs = [""];
      outs = [];
    } else segs[segs.length - 1] += c;
    backslashes = c === "\\" ? backslashes + 1 : 0;
  }
  flush();
  return risky;
}

const sameSlot = (a: ShellSlot, b: ShellSlot) =>
  a.kind === b.kind && (a.kind !== "heredoc" || (b.kind === "heredoc" && a.terminator === b.terminator && a.expands === b.expands));

/**
 * Classifies every `{{ }}` output of a `run:` template. `pieces` are the template's
 * literal shell text and its output tags, in source order; the result has one slot per
 * output piece, in order. The text is lexed twice — as dash (`/bin/sh` on Debian) and
 * as bash read it — and an output the two would place differently is an error.
 */
export function scanShellSlots(pieces: Array<{ text: string } | { output: true }>): ShellSlot[] {
  let src = "";
  const outAt: number[] = [];
  let count = 0;
  for (const piece of pieces) {
    if ("output" in piece) {
      src += "\0";
      outAt.push(count++);
    } else {
      src += piece.text;
      for (let k = 0; k < piece.text.length; k++) outAt.push(-1);
    }
  }
  const posix = new Scanner({ text: src, outAt }, "posix").run();
  const bash = new Scanner({ text: src, outAt }, "bash").run();
  const missing = error("internal: `{{ }}` was not reached by the shell scanner", "please report this");
  return Array.from({ length: count }, (_, k) => {
    const a = posix[k] ?? missing;
    const b = bash[k] ?? missing;
    if (b.kind === "error") return b; // bash's reading names the richer constructs
    if (a.kind === "error") return a;
    return sameSlot(a, b) ? a : ERR.dialects;
  });
}

/**
 * The text to splice into the command for `value` in `slot`.
 *
 * - `word`: `shellQuote(value)`.
 * - `heredoc`, quoted delimiter: `value` verbatim (the shell does not re-read the body).
 * - `heredoc`, unquoted delimiter: `value` with `\`, `$` and `` ` `` backslash-escaped,
 *   so the shell prints it unchanged.
 *
 * Throws `ShellValueError` for an `error` slot, for a value with a NUL byte (no shell
 * argument can carry one), and for a heredoc value with a line equal to the terminator
 * — compared after removing leading tabs, which `<<-` strips (stricter than needed for
 * plain `<<`: the slot does not say which form it came from).
 */
export function insertIntoSlot(value: string, slot: ShellSlot): string {
  if (slot.kind === "error") throw new ShellValueError(`${slot.message} (${slot.hint})`);
  if (value.includes("\0")) throw new ShellValueError("the value contains a NUL byte, which a shell command cannot carry");
  if (slot.kind === "word") return shellQuote(value);
  const text = slot.expands ? value.replace(/[\\$`]/g, "\\$&") : value;
  const hits = (v: string) => v.split("\n").some((line) => line === slot.terminator || stripTabs(line) === slot.terminator);
  if (hits(value) || hits(text)) {
    throw new ShellValueError(
      `the value contains the heredoc terminator line \`${slot.terminator}\`; choose another terminator`,
    );
  }
  return text;
}
