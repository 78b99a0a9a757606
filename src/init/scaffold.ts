/** Where `aiorch init` writes a template, and the writing itself (never over a file unless forced). */
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { UserError } from "../errors/user-error.ts";
import type { Template } from "./templates.ts";

export interface PlannedFile {
  /** Absolute path. */
  path: string;
  /** The path as the user would type it from the working directory. */
  shown: string;
  text: string;
  /** `pipeline`, or what a companion file is for (`sample input`, ...). */
  role: string;
}

export interface Scaffold {
  template: Template;
  /** The pipeline first, then its companion files (in the same folder). */
  files: PlannedFile[];
}

/** `path` relative to `cwd` when it is inside it, else absolute. */
export function shownPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

/**
 * The files for `template`. `output` (default: the working directory) is a file when it
 * ends in `.yaml`/`.yml` and is not an existing folder; otherwise a folder, in which the
 * pipeline is `<template>.yaml`. Companion files go next to the pipeline, under fixed
 * names, because the pipeline's defaults name them.
 */
export function planScaffold(template: Template, output: string | undefined, cwd: string): Scaffold {
  const target = resolve(cwd, output ?? ".");
  const isFolder =
    output === undefined ||
    /[\\/]$/.test(output) ||
    !/\.ya?ml$/i.test(target) ||
    (existsSync(target) && statSync(target).isDirectory());
  const pipeline = isFolder ? join(target, `${template.name}.yaml`) : target;
  const folder = dirname(pipeline);
  const shown = shownPath(pipeline, cwd);
  const files: PlannedFile[] = [
    { path: pipeline, shown, text: template.yaml.replaceAll("__FILE__", shown), role: "pipeline" },
  ];
  for (const companion of template.companions) {
    const path = join(folder, companion.name);
    if (path === pipeline) {
      throw new UserError(
        `\`${shown}\` is the name of a file the \`${template.name}\` template writes next to the pipeline`,
        { hint: "choose another name with --output FILE" },
      );
    }
    files.push({ path, shown: shownPath(path, cwd), text: companion.text, role: companion.role });
  }
  return { template, files };
}

/** Writes the files; refuses (exit 2, naming every file in the way) to replace one unless `force`. */
export function writeScaffold(scaffold: Scaffold, force: boolean): void {
  const existing = scaffold.files.filter((f) => existsSync(f.path));
  if (existing.length > 0 && !force) {
    const names = existing.map((f) => `\`${f.shown}\``).join(", ");
    const folderInTheWay = existing.find((f) => statSync(f.path).isDirectory());
    throw new UserError(
      `${names} already exist${existing.length === 1 ? "s" : ""}; \`aiorch init ${scaffold.template.name}\` does not overwrite files`,
      {
        hint: folderInTheWay
          ? `\`${folderInTheWay.shown}\` is a folder: choose another name with --output FILE`
          : `choose another name with --output FILE (or --output DIR/), remove ${existing.length === 1 ? "it" : "them"} first, or pass --force to overwrite`,
      },
    );
  }
  for (const file of scaffold.files) {
    try {
      mkdirSync(dirname(file.path), { recursive: true });
      writeFileSync(file.path, file.text, { flag: force ? "w" : "wx" });
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new UserError(`cannot write \`${file.shown}\` (${reason})`, {
        hint: "check that the folder exists and you may write to it, or choose another place with --output",
      });
    }
  }
}
