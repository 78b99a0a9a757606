import { describe, expect, test } from "bun:test";
import { compileTemplate } from "../../src/template/index.ts";

const shell = (source: string, context: Record<string, unknown>) => compileTemplate(source, "shell").render(context);

describe("shell mode output (SPEC docs/templates.md#how-values-are-rendered)", () => {
  test("every output is one shell word, quoted only when needed", () => {
    expect(shell("echo {{name}}", { name: "Eresh; rm -rf /" })).toBe("echo 'Eresh; rm -rf /'");
    expect(shell("echo {{ name }}", { name: "it's" })).toBe(`echo 'it'"'"'s'`);
    expect(shell("cp {{ src }} {{ dst }}", { src: "a.txt", dst: "" })).toBe("cp a.txt ''");
  });

  test("non-strings are JSON first, then quoted; None is an empty word, as the Python aiorch wrote it", () => {
    expect(
      shell("run {{ a }} {{ b }} {{ c }} {{ d }} {{ e }} {{ f }}", {
        a: [1, "x y"],
        b: 2.5,
        c: true,
        d: null,
        e: { k: "v" },
        f: 7,
      }),
    ).toBe(`run '[1, "x y"]' 2.5 true '' '{"k": "v"}' 7`);
    expect(shell("echo {{ 10 / 4 }} {{ 10 / 2 }}", {})).toBe("echo 2.5 5.0");
  });

  test("literal text, statements and loops are untouched", () => {
    expect(shell("{% for f in files %}rm -- {{ f }}\n{% endfor %}echo 'done' \"$HOME\"", { files: ["a b", "c"] })).toBe(
      "rm -- 'a b'\nrm -- c\necho 'done' \"$HOME\"",
    );
  });

  test("| raw skips quoting (and gets the text rules)", () => {
    expect(shell("echo {{ x | raw }} {{ t | raw }}", { x: "$HOME; ls", t: true })).toBe("echo $HOME; ls True");
  });

  test("heredoc bodies: verbatim when quoted, escaped when expanding", () => {
    expect(shell("cat <<'EOF'\n{{ body }}\nEOF", { body: "a $x `y`" })).toBe("cat <<'EOF'\na $x `y`\nEOF");
    expect(shell("cat <<EOF\n{{ body }}\nEOF", { body: "a $x" })).toBe("cat <<EOF\na \\$x\nEOF");
  });

  test("the same template in text mode is not quoted", () => {
    expect(compileTemplate("echo {{ name }}", "text").render({ name: "a b" })).toBe("echo a b");
  });
});
