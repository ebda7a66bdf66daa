"""docs/lineage.md: asking the graph questions without running it.

python docs/examples/lineage.py
"""

import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "dataflows"))

# --- setup ---
import weekly_shop

from plait import ad_hoc_utils, driver, graph_types

dr = driver.Builder().with_modules(weekly_shop).with_config({"currency": "EUR"}).build()


def names(variables):
    return sorted(v.name for v in variables)


# --- tags ---
print(names(dr.list_available_variables(tag_filter={"owner": "finance"})))
print(names(dr.list_available_variables(tag_filter={"owner": ["finance", "marketing"]})))
print(names(dr.list_available_variables(tag_filter={"owner": None, "module": "weekly_shop"})))

# --- walks ---
print(names(dr.what_is_upstream_of("revenue_target")))
print(names(dr.what_is_downstream_of("price")))
print(names(dr.what_is_the_path_between("price", "target_line")))
print(dr.has_cycles(["target_line"]))

# --- views ---
graph = graph_types.HamiltonGraph.from_graph(dr.graph)  # or dr.get_hamilton_graph()
node = graph["revenue_target"]
print(node.name, node.type, node.tags)
print(node.documentation)
print(node.originating_functions[0].__name__, node.is_external_input)
print(graph["growth"].is_external_input, graph["growth"].type)
print(sorted(n.name for n in graph.filter_nodes(lambda n: n.type is float)))
print(node.location.replace(str(HERE) + "/", ""))


# --- versions ---
BONUS = '''
def weekly_bonus(revenue_target: float) -> float:
    """{doc}"""
    return revenue_target * {rate}  # {comment}
'''


def bonus_version(doc, rate, comment):
    source = BONUS.format(doc=doc, rate=rate, comment=comment)
    module = ad_hoc_utils.module_from_source(source)
    graph = graph_types.HamiltonGraph.from_graph(
        driver.Builder().with_modules(module).build().graph
    )
    return graph["weekly_bonus"].version


first = bonus_version("Bonus pot: 1% of the target.", 0.01, "one percent")
reworded = bonus_version("The bonus pot.", 0.01, "reworded comment")
changed = bonus_version("Bonus pot: 1% of the target.", 0.02, "one percent")
print(first == reworded, first == changed)
