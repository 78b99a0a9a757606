/** Text files bundled into the binary with `import x from "./f.py" with { type: "text" }`: the python worker, and below the init templates. */
declare module "*.py" {
  const text: string;
  export default text;
}
/** `aiorch init` templates and their sample files (src/init/templates). */
declare module "*.yaml" {
  const text: string;
  export default text;
}
declare module "*.csv" {
  const text: string;
  export default text;
}
declare module "*.txt" {
  const text: string;
  export default text;
}
