# Compiles python: step bodies and lists the literal keys they read from `inputs`.
# Standalone: stdin is a JSON list of {"name", "body"}; stdout the JSON list of results.
# As a job of the worker pool: inputs["bodies"] holds the list; `result` the results.
import ast, json, sys

def inspect(name, body):
    try:
        tree = compile(body, "<step %s>" % name, "exec", ast.PyCF_ONLY_AST)
    except SyntaxError as e:
        return {"error": {"message": e.msg, "line": e.lineno or 1, "col": e.offset or 1}}
    reads = []
    for node in ast.walk(tree):
        key = None
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "inputs":
            if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                key = node.slice.value
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
              and isinstance(node.func.value, ast.Name) and node.func.value.id == "inputs"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            key = node.args[0].value
        if key is not None:
            reads.append({"name": key, "line": node.lineno, "col": node.col_offset + 1})
    return {"reads": reads}

if "inputs" in globals():
    result = [inspect(item["name"], item["body"]) for item in inputs["bodies"]]
else:
    print(json.dumps([inspect(item["name"], item["body"]) for item in json.load(sys.stdin)]))
