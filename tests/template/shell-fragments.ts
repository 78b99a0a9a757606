/**
 * Pieces of shell that the random template tests put together: punctuation and quoting, the
 * openers and closers of substitutions, arithmetic and tests, and heredocs. Each suite adds
 * its own words (and, for values, `{{ v }}`).
 */
export const SHELL_PUNCTUATION: readonly string[] = [
  " ",
  " ",
  "\n",
  "\t",
  "'",
  '"',
  "`",
  "\\",
  "\\\n",
  "#",
  ";",
  ";;",
  "|",
  "&&",
  "=",
  "~",
  "$",
];

export const SHELL_OPENERS: readonly string[] = [
  "$(",
  ")",
  "(",
  "((",
  "))",
  "$((",
  "${",
  "}",
  "{",
  "$'",
  '$"',
  "[[ ",
  " -eq ",
  " ]]",
  "arr[",
  "]=1",
  "x=1 ",
  "<(",
  ">",
];

export const SHELL_HEREDOCS: readonly string[] = [
  "<<",
  "<<-",
  "<<EOF",
  "<<'EOF'",
  "<<\\EOF",
  "<<-EOF",
  "\nEOF\n",
  "\n\tEOF\n",
  "EOF",
  "E",
  "OF",
  "case x in",
  " a)",
  "esac",
];
