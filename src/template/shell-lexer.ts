import type { Follow } from "./shell-cursor.ts";
import { readDelimiter } from "./shell-delimiter.ts";
import { closeBody, endsBody, lineBreak, lineChar, lineFinish, lineOutput, openBody } from "./shell-heredoc.ts";
import { ERR, renderSlot } from "./shell-messages.ts";
import { heredocSlot, outputSlot } from "./shell-place.ts";
import { BRACE_CAP, newCmd, type CmdCtx, type Ctx, type LexState, type Tail } from "./shell-state.ts";
import { WordLexer, top } from "./shell-word-lexer.ts";
import { METACHARS, canonWord, endCommand } from "./shell-words.ts";

/**
 * The POSIX shell lexer, as one dialect reads it, run over a template's literal text one
 * piece at a time: `text` and `output` advance a `LexState`, so the caller can run each
 * path through `{% if %}` / `{% for %}` from the state it starts in. It tracks only what
 * decides where an output lands, and gives up ("poison") from the first construct whose
 * extent it cannot be sure of. `slots` collects every output's slot over every path (an
 * error on one path wins); `problems` the tags that split a token it must read whole.
 */
export class ShellLexer extends WordLexer {
  /** Lexes `text` from state `s` (mutated and returned); `follow` and `tagAt` describe what comes after it. */
  text(s: LexState, text: string, follow: Follow, tagAt: number | undefined): LexState {
    this.s = s;
    this.start(text, follow, tagAt);
    while (this.i < this.end) this.step();
    return s;
  }

  /** One `{{ }}` output (ordinal `ord`) in state `s` (mutated and returned). */
  output(s: LexState, ord: number): LexState {
    this.s = s;
    const body = s.body;
    if (s.delimiterOutput) {
      s.delimiterOutput = false;
      this.record(ord, ERR.delimiter);
      return s;
    }
    if (body && !body.heredoc.expands) {
      this.record(ord, s.poison ? renderSlot(s.poison) : heredocSlot(s, body.line.danger));
      this.flag(lineOutput(body.line, body.heredoc, ord));
      return s;
    }
    const ctx = top(s);
    const slot = outputSlot(s, ctx, this.assocs);
    this.record(ord, slot);
    if (body) this.flag(lineOutput(body.line, body.heredoc, ord));
    if (ctx.kind === "cmd") {
      if (ctx.test) (ctx.test.arith ? [] : ctx.test.outs).push(ord);
      this.markWord(ctx, "", "opaque");
    } else this.feed("", "opaque");
    s.escaped = false;
    s.dollar = "none";
    return s;
  }

  /** The end of the template in state `s`: the last word (`]]` of a test) and heredoc line are complete. */
  finish(s: LexState): void {
    this.s = s;
    const ctx = top(s);
    if (ctx.kind === "cmd") this.endWord(ctx);
    if (s.body) this.flag(lineFinish(s.body.line, s.body.heredoc));
  }

  /** One lexer step; inside a heredoc body, also the body line's bookkeeping. */
  private step(): void {
    const body = this.s.body;
    if (!body) return this.char();
    const c = this.src[this.i]!;
    if (c === "\n" && endsBody(body.line, body.heredoc, this.dialect)) {
      this.i++;
      return closeBody(this.s);
    }
    const from = this.i;
    if (body.heredoc.expands) this.char();
    else this.i++;
    for (let p = from; p < this.i; p++) {
      const ch = this.src[p]!;
      if (ch === "\n") this.flag(lineBreak(body.line, body.heredoc, this.dialect));
      else lineChar(body.line, body.heredoc, ch, this.dialect);
    }
  }

  private char(): void {
    const s = this.s;
    const ctx = top(s);
    const c = this.src[this.i]!;
    const continues = ctx.kind !== "sq" && ctx.kind !== "comment";
    if (!s.escaped && continues && c === "\\") {
      if (this.i + 1 < this.end && this.src[this.i + 1] === "\n") {
        this.i += 2; // line continuation: invisible to the lexer, keeps every state
        return;
      }
      if (this.i + 1 === this.end) this.boundary("\n", false);
    }
    const prevDollar = s.dollar;
    s.dollar = "none";
    if (s.escaped) {
      s.escaped = false;
      if (ctx.kind === "cmd") this.markWord(ctx, c, "quoted");
      else if (ctx.kind === "dq") this.feed(c, "quoted");
      this.i++;
      return;
    }
    switch (ctx.kind) {
      case "cmd":
        return this.cmdChar(ctx, c, prevDollar);
      case "sq":
        if (c === "'") s.stack.pop();
        else this.feed(c, "quoted");
        this.i++;
        return;
      case "comment":
        if (c === "\n") s.stack.pop();
        else this.i++;
        return;
      case "ansi":
      case "bq":
        if (ctx.kind === "ansi" && c !== "'") this.feed("", "opaque"); // `$'\x65val'`: not worth decoding
        if (c === "\\") s.escaped = true;
        else if (c === (ctx.kind === "bq" ? "`" : "'")) s.stack.pop();
        this.i++;
        return;
      default:
        return this.expandingChar(ctx, c, prevDollar);
    }
  }

  /** `"…"`, `${ … }`, `$(( … ))` and an unquoted heredoc body: only expansions are special. */
  private expandingChar(ctx: Ctx, c: string, prevDollar: Tail): void {
    const s = this.s;
    if (ctx.kind === "param" && ctx.head.length < 24) ctx.head += c;
    if (c === "\\") s.escaped = true;
    else if (c === "$") {
      if (ctx.kind === "dq") this.feed("", "opaque");
      return this.dollarSign(ctx.kind === "dq" || ctx.kind === "hdbody" || (ctx.kind === "param" && ctx.inDq));
    } else if (c === "`") {
      if (ctx.kind === "dq") this.feed("", "opaque");
      s.stack.push({ kind: "bq" });
    } else if (ctx.kind === "dq" && c === '"') s.stack.pop();
    else if (ctx.kind === "dq") this.feed(c, "quoted");
    else if (ctx.kind === "param") {
      if (c === "}") s.stack.pop();
      else if (c === '"') s.stack.push({ kind: "dq" });
      else if (c === "'" && (this.dialect === "bash" || !ctx.inDq)) s.stack.push({ kind: "sq" });
    } else if (ctx.kind === "subscript") {
      // bash reads `name[ … ]` in an assignment as one matched pair: spaces, `;`, `<<` included
      if (c === "[") ctx.depth++;
      else if (c === "]" && ctx.depth > 0) ctx.depth--;
      else if (c === "]") {
        s.stack.pop();
        const below = top(s);
        if (below.kind === "cmd") below.word = canonWord(`${below.word}]`, below.plain ? "plain" : "quoted", this.keep);
      } else if (c === '"') s.stack.push({ kind: "dq" });
      else if (c === "'") s.stack.push({ kind: "sq" });
    } else if (ctx.kind === "arith" && ctx.bracket) {
      if (c === "[") ctx.paren++;
      else if (c === "]" && ctx.paren > 0) ctx.paren--;
      else if (c === "]") s.stack.pop();
    } else if (ctx.kind === "arith") {
      if (c === "(") ctx.paren++;
      else if (c === ")" && ctx.paren > 0) ctx.paren--;
      else if (c === ")" && this.look(this.i + 1, ")").ch === ")") {
        s.stack.pop();
        this.i = this.look(this.i + 1, ")").pos + 1;
        return;
      } else if (c === ")")
        this.setPoison("cannot tell where this $(( … )) ends", "put spaces between nested parentheses: $( (cmd) )");
      else if (c === '"') s.stack.push({ kind: "dq" });
      else if (c === "'") s.stack.push({ kind: "sq" });
    } else if (ctx.kind === "hdbody") this.trackName(c, prevDollar);
    this.i++;
  }

  private trackName(c: string, prevDollar: Tail): void {
    if ((prevDollar === "bare" && /[A-Za-z_]/.test(c)) || (prevDollar === "name" && /\w/.test(c)))
      this.s.dollar = "name";
  }

  /** `$` at `this.i`: `$(`, `$((`, `${`, bash `$'…'`, or a literal/parameter `$`. */
  private dollarSign(inDq: boolean): void {
    const s = this.s;
    const bash = this.dialect === "bash";
    const a = this.look(this.i + 1, `({${bash ? "[" : ""}${bash && !inDq ? "'" : ""}`);
    if (a.ch === "(") {
      const b = this.look(a.pos + 1, "(");
      if (b.ch === "(") {
        s.stack.push({ kind: "arith", paren: 0, bracket: false });
        this.i = b.pos + 1;
      } else {
        s.stack.push(newCmd(true));
        this.i = a.pos + 1;
      }
    } else if (a.ch === "{") {
      s.stack.push({ kind: "param", inDq, head: "" });
      this.i = a.pos + 1;
    } else if (a.ch === "[" && bash) {
      s.stack.push({ kind: "arith", paren: 0, bracket: true }); // legacy bash $[ … ]
      this.i = a.pos + 1;
    } else if (a.ch === "'" && !inDq && bash) {
      s.stack.push({ kind: "ansi" });
      this.i = a.pos + 1;
    } else {
      s.dollar = "bare";
      this.i++;
    }
  }

  private cmdChar(ctx: CmdCtx, c: string, prevDollar: Tail): void {
    const s = this.s;
    if (c === " " || c === "\t" || c === "\n") {
      this.endWord(ctx);
      this.i++;
      if (c === "\n") this.newline(ctx);
      return;
    }
    if (c === "#" && !ctx.inWord) {
      s.stack.push({ kind: "comment" });
      this.i++;
      return;
    }
    if (METACHARS.includes(c)) {
      this.endWord(ctx);
      return this.operator(ctx, c);
    }
    if (c === "'" || c === '"' || c === "`" || c === "\\" || c === "$") {
      this.markWord(ctx, "", c === "`" || c === "$" ? "opaque" : "quoted");
      if (c === "$") return this.dollarSign(false);
      if (c === "\\") s.escaped = true;
      else s.stack.push({ kind: c === "'" ? "sq" : c === '"' ? "dq" : "bq" });
      this.i++;
      return;
    }
    if (c === "~" && !ctx.inWord) s.dollar = "tilde";
    if (c === "{" && ctx.brace < BRACE_CAP) ctx.brace++;
    if (c === "}" && ctx.brace > 0 && ctx.brace < BRACE_CAP) ctx.brace--; // a saturated count stays open: safe
    const caseTop = ctx.cases[ctx.cases.length - 1];
    const assignable = (ctx.cmdPos || ctx.afterAssign) && (!caseTop || caseTop.phase === "body");
    if (c === "[" && this.dialect === "bash" && assignable && ctx.plain && /^[A-Za-z_]\w*$/.test(ctx.word)) {
      const assoc = this.assocs.has(ctx.word);
      this.markWord(ctx, c);
      s.stack.push({ kind: "subscript", depth: 0, assoc });
      this.i++;
      return;
    }
    if (c === "[" && ctx.plain && /^([A-Za-z_]\w*)?$/.test(ctx.word)) ctx.subscript = true;
    if (c === "]") ctx.subscript = false;
    this.markWord(ctx, c);
    this.trackName(c, prevDollar);
    this.i++;
  }

  /** The characters after `c` that would make it a longer operator, in this dialect and place. */
  private operatorContinuations(ctx: CmdCtx, c: string): string {
    const bash = this.dialect === "bash";
    const pattern = ctx.cases[ctx.cases.length - 1]?.phase === "pattern";
    if (c === "<") return bash ? "<(" : "<";
    if (c === ">") return bash ? "(" : "";
    if (c === ";") return ";&";
    if (c === "(") return bash && ctx.cmdPos && !pattern ? "(" : "";
    return "";
  }

  private operator(ctx: CmdCtx, c: string): void {
    const s = this.s;
    const next = this.look(this.i + 1, this.operatorContinuations(ctx, c));
    if ((c === "<" || c === ">") && next.ch === "&") {
      ctx.redir = true; // `>&2`, `<&0`: a redirection, not `&`
      this.i = next.pos + 1;
      return;
    }
    if (c === "<" || c === ">") ctx.redir = true;
    else endCommand(ctx);
    const caseTop = ctx.cases[ctx.cases.length - 1];
    if ((c === "<" || c === ">") && next.ch === "(" && this.dialect === "bash") {
      this.markWord(ctx, "", "opaque"); // bash process substitution <( … ) / >( … ): a word holding commands
      s.stack.push(newCmd(true));
      this.i = next.pos + 1;
      return;
    }
    if (c === "<" && next.ch === "<") {
      const third = this.look(next.pos + 1, "<-");
      if (third.ch === "<") {
        this.i = third.pos + 1; // bash here-string: the next word is an ordinary word
        return;
      }
      this.i = third.ch === "-" ? third.pos + 1 : next.pos + 1;
      if (ctx.array || ctx.test) {
        // bash: a syntax error; plain bash then reads the lines after it (the "body") as commands
        this.setPoison(
          "a heredoc inside `a=( … )` or `[[ … ]]` is a syntax error in bash",
          "start the heredoc in a command of its own",
        );
      }
      return this.readDelimiter(ctx, third.ch === "-");
    }
    if (c === ";") {
      if (next.ch === ";" || next.ch === "&") {
        if (caseTop?.phase === "body") caseTop.phase = "pattern";
        ctx.cmdPos = false;
        const amp = next.ch === ";" ? this.look(next.pos + 1, "&") : next;
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
        s.stack.push({ kind: "arith", paren: 0, bracket: false }); // bash `(( … ))` arithmetic command
        this.i = next.pos + 1;
        return;
      } else {
        ctx.array = this.i > 0 && this.src[this.i - 1] === "="; // `a=( … )`: `[k]=v` words evaluate k as arithmetic
        ctx.paren++;
        ctx.cmdPos = true;
      }
    } else if (c === ")") {
      ctx.array = false;
      if (caseTop?.phase === "pattern" && ctx.paren === caseTop.baseline) {
        endCommand(ctx);
        caseTop.phase = "body";
        ctx.cmdPos = true;
      } else if (ctx.paren > 0) {
        ctx.paren--;
        // `name()`: a function definition, whose body (`{ …; }`) starts a command; after a subshell `( … )` none does
        ctx.cmdPos = /\(\s*$/.test(this.src.slice(0, this.i));
      } else if (ctx.subst) {
        if (s.pending.some((h) => h.owner === s.stack.length - 1)) {
          this.setPoison(
            "a heredoc inside $( … ) has no body before the `)`",
            "put the heredoc body before the closing `)`",
          );
        }
        s.stack.pop();
      }
    }
    this.i++;
  }

  private newline(ctx: CmdCtx): void {
    const s = this.s;
    const top = ctx.cases[ctx.cases.length - 1];
    if (top?.phase !== "pattern") ctx.cmdPos = true;
    endCommand(ctx);
    const depth = s.stack.length - 1;
    const mine = s.pending.filter((h) => h.owner === depth);
    if (mine.length === 0) return;
    if (mine.length !== s.pending.length || s.body) {
      this.setPoison("heredocs are nested in a way this checker cannot follow", "move the inner heredoc out of $( … )");
    }
    s.pending = s.pending.filter((h) => h.owner !== depth);
    if (!s.body) openBody(s, mine);
  }

  /** After `<<` / `<<-` (and `this.i` past it): the delimiter word, then register the heredoc. */
  private readDelimiter(ctx: CmdCtx, strip: boolean): void {
    const s = this.s;
    const d = readDelimiter(this, this.dialect);
    if (d.output && !s.poison) s.delimiterOutput = true;
    if (d.unreadable) {
      this.setPoison(
        "this heredoc's delimiter cannot be read statically",
        "write the terminator literally, e.g. <<'EOF'",
      );
      return;
    }
    ctx.inWord = false;
    if (d.word !== "" || d.quoted)
      s.pending.push({ terminator: d.word, strip, expands: !d.quoted, owner: s.stack.length - 1 });
  }
}
