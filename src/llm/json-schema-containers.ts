/**
 * The keywords that descend into arrays and objects: prefixItems/items (and the draft-07
 * array form with additionalItems), contains, the item and property counts, uniqueItems,
 * properties, patternProperties, additionalProperties, required, propertyNames and the
 * dependency keywords.
 */
import type { Descend, SchemaError } from "./json-schema-types.ts";
import { type JsonObject, compilePattern, isJsonObject, jsonEqual, pointerChild, preview } from "./json-schema-values.ts";

function error(path: string, keyword: string, message: string): SchemaError {
  return { path, keyword, message };
}

function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

/** Array keywords. */
export function checkArrayKeywords(schema: JsonObject, value: unknown[], path: string, descend: Descend): SchemaError[] {
  const errors: SchemaError[] = [];
  const { minItems, maxItems, uniqueItems, items, prefixItems, additionalItems } = schema;
  if (typeof minItems === "number" && value.length < minItems) {
    errors.push(error(path, "minItems", `must have at least ${plural(minItems, "item")}`));
  }
  if (typeof maxItems === "number" && value.length > maxItems) {
    errors.push(error(path, "maxItems", `must have at most ${plural(maxItems, "item")}`));
  }
  if (uniqueItems === true) {
    const duplicate = findDuplicate(value);
    if (duplicate !== undefined) {
      errors.push(error(path, "uniqueItems", `must not contain duplicates (items ${duplicate[0]} and ${duplicate[1]} are equal)`));
    }
  }

  // Items covered by position: 2020-12 `prefixItems`, or draft-07 `items: [ … ]`.
  const tuple = Array.isArray(prefixItems) ? prefixItems : Array.isArray(items) ? items : [];
  tuple.forEach((itemSchema, index) => {
    if (index < value.length) errors.push(...descend(itemSchema, value[index], pointerChild(path, index)));
  });
  const rest = Array.isArray(items) ? additionalItems : items;
  if (rest !== undefined && !Array.isArray(rest)) {
    for (let index = tuple.length; index < value.length; index++) {
      errors.push(...descend(rest, value[index], pointerChild(path, index)));
    }
  }

  if (schema.contains !== undefined) errors.push(...checkContains(schema, value, path, descend));
  return errors;
}

function findDuplicate(items: unknown[]): [number, number] | undefined {
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      if (jsonEqual(items[i], items[j])) return [i, j];
    }
  }
  return undefined;
}

function checkContains(schema: JsonObject, value: unknown[], path: string, descend: Descend): SchemaError[] {
  const matches = value.filter((item, index) => descend(schema.contains, item, pointerChild(path, index)).length === 0).length;
  const min = typeof schema.minContains === "number" ? schema.minContains : 1;
  const errors: SchemaError[] = [];
  if (matches < min) {
    errors.push(error(path, "contains", `must contain at least ${plural(min, "item")} matching the "contains" schema (found ${matches})`));
  }
  if (typeof schema.maxContains === "number" && matches > schema.maxContains) {
    errors.push(error(path, "maxContains", `must contain at most ${plural(schema.maxContains, "item")} matching the "contains" schema (found ${matches})`));
  }
  return errors;
}

/** Object keywords. */
export function checkObjectKeywords(schema: JsonObject, value: JsonObject, path: string, descend: Descend): SchemaError[] {
  const errors: SchemaError[] = [];
  const keys = Object.keys(value);
  const { required, minProperties, maxProperties, properties, patternProperties, additionalProperties, propertyNames } = schema;

  if (Array.isArray(required)) {
    for (const name of required) {
      if (typeof name === "string" && !Object.hasOwn(value, name)) {
        errors.push(error(path, "required", `must have required property ${JSON.stringify(name)}`));
      }
    }
  }
  if (typeof minProperties === "number" && keys.length < minProperties) {
    errors.push(error(path, "minProperties", `must have at least ${plural(minProperties, "property", "properties")}`));
  }
  if (typeof maxProperties === "number" && keys.length > maxProperties) {
    errors.push(error(path, "maxProperties", `must have at most ${plural(maxProperties, "property", "properties")}`));
  }

  const declared = isJsonObject(properties) ? properties : {};
  const patterns = isJsonObject(patternProperties)
    ? Object.entries(patternProperties).map(([source, subschema]) => ({ regex: compilePattern(source), subschema }))
    : [];
  for (const key of keys) {
    const childPath = pointerChild(path, key);
    let evaluated = false;
    if (Object.hasOwn(declared, key)) {
      evaluated = true;
      errors.push(...descend(declared[key], value[key], childPath));
    }
    for (const { regex, subschema } of patterns) {
      if (regex?.test(key)) {
        evaluated = true;
        errors.push(...descend(subschema, value[key], childPath));
      }
    }
    if (!evaluated && additionalProperties !== undefined) {
      if (additionalProperties === false) {
        errors.push(error(path, "additionalProperties", `must not have property ${JSON.stringify(key)} (the schema does not allow additional properties)`));
      } else {
        errors.push(...descend(additionalProperties, value[key], childPath));
      }
    }
    if (propertyNames !== undefined && descend(propertyNames, key, childPath).length > 0) {
      errors.push(error(path, "propertyNames", `has a property name that is not allowed: ${preview(key)}`));
    }
  }

  errors.push(...checkDependencies(schema, value, path, descend));
  return errors;
}

/** dependentRequired, dependentSchemas, and draft-07 `dependencies` (either form). */
function checkDependencies(schema: JsonObject, value: JsonObject, path: string, descend: Descend): SchemaError[] {
  const errors: SchemaError[] = [];
  const groups = [schema.dependentRequired, schema.dependentSchemas, schema.dependencies].filter(isJsonObject);
  for (const group of groups) {
    for (const [trigger, dependency] of Object.entries(group)) {
      if (!Object.hasOwn(value, trigger)) continue;
      if (Array.isArray(dependency)) {
        for (const name of dependency) {
          if (typeof name === "string" && !Object.hasOwn(value, name)) {
            errors.push(error(path, "dependentRequired", `must have property ${JSON.stringify(name)} when ${JSON.stringify(trigger)} is present`));
          }
        }
      } else {
        errors.push(...descend(dependency, value, path));
      }
    }
  }
  return errors;
}
