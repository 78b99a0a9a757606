import { expect, test } from "bun:test";
import { closest, didYouMean, editDistance } from "./did-you-mean.ts";

test("edit distance counts a swap of adjacent letters as one edit", () => {
  expect(editDistance("nmae", "name")).toBe(1);
  expect(editDistance("kitten", "sitting")).toBe(3);
  expect(editDistance("", "abc")).toBe(3);
});

test("closest picks near names only", () => {
  expect(closest("nmae", ["name", "times"])).toBe("name");
  expect(closest("depnds", ["depends", "description"])).toBe("depends");
  expect(closest("uppper", ["upper", "lower"])).toBe("upper");
  expect(closest("zzz", ["name", "times"])).toBeUndefined();
  expect(closest("Name", ["name"])).toBe("name");
  expect(didYouMean("stpes", ["steps"])).toBe(" (did you mean `steps`?)");
});
