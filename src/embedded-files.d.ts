/** Text files bundled into the binary with `import x from "./f.py" with { type: "text" }`. */
declare module "*.py" {
  const text: string;
  export default text;
}
