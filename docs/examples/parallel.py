"""docs/parallel.md: Parallelizable/Collect blocks, nesting, several collects, executors, errors.

    python docs/examples/parallel.py

The process-pool part runs docs/examples/parallel_processes.py in a subprocess (worker processes
re-import the script that started them, so that script keeps its runs under a main guard).
Paths in the printed messages are shown relative to the repository root.
"""

import pathlib
import subprocess
import sys

from plait import ad_hoc_utils, driver
from plait.execution import executors
from plait.htypes import Collect, Parallelizable

ROOT = pathlib.Path(__file__).resolve().parents[2]


def attempt(action):
    """Run ``action``; print the error's class and message (and notes), paths made relative."""
    try:
        action()
    except Exception as err:
        print(type(err).__name__)
        print(str(err).replace(str(ROOT) + "/", ""))
        for note in getattr(err, "__notes__", []):
            print("note:", note.replace(str(ROOT) + "/", ""))


# --- a block ---
CALLS = []


def prompt(style: str) -> str:
    """Computed once, outside the block; every chunk reads it."""
    CALLS.append("prompt")
    return f"summarize ({style}):"


def chunk(text: str, chunk_size: int) -> Parallelizable[str]:
    """Split the text into chunks of ``chunk_size`` words: one branch per chunk."""
    words = text.split()
    for start in range(0, len(words), chunk_size):
        yield " ".join(words[start : start + chunk_size])


def summary(chunk: str, prompt: str) -> str:
    """Stand-in for an LLM call: runs once per chunk."""
    CALLS.append("summary")
    words = chunk.split()
    return f"{prompt} {words[0]}..{words[-1]}"


def digest(summary: Collect[str]) -> list[str]:
    """The per-chunk summaries, in the order the chunks were yielded."""
    return list(summary)


chunks_module = ad_hoc_utils.create_temporary_module(prompt, chunk, summary, digest)
dr = (
    driver.Builder()
    .enable_dynamic_execution(allow_experimental_mode=True)
    .with_modules(chunks_module)
    .build()
)
text = "the quick brown fox jumps over the lazy dog again and again"
result = dr.execute(["digest"], inputs={"text": text, "chunk_size": 4, "style": "short"})
for line in result["digest"]:
    print(line)
print(CALLS.count("prompt"), "prompt,", CALLS.count("summary"), "summaries")

# --- no items ---
print(dr.execute(["digest"], inputs={"text": "", "chunk_size": 4, "style": "short"}))


# --- several collects ---
def word_count(chunk: str) -> int:
    return len(chunk.split())


def total_words(word_count: Collect[int]) -> int:
    return sum(word_count)


def longest_chunk(chunk: Collect[str], word_count: Collect[int]) -> str:
    """Two Collect parameters: the chunks themselves and their word counts."""
    return max(zip(word_count, chunk, strict=True))[1]


stats = ad_hoc_utils.create_temporary_module(chunk, word_count, total_words, longest_chunk)
dr_stats = (
    driver.Builder()
    .enable_dynamic_execution(allow_experimental_mode=True)
    .with_modules(stats)
    .build()
)
inputs = {"text": "one two three four five six seven eight nine ten", "chunk_size": 4}
print(dr_stats.execute(["total_words", "longest_chunk"], inputs=inputs))

# --- inside a block ---
print(dr_stats.execute(["word_count", "chunk"], inputs=inputs))


# --- nested blocks ---
def document(corpus: dict[str, str]) -> Parallelizable[str]:
    """One branch per document."""
    yield from corpus.values()


def passage(document: str, chunk_size: int) -> Parallelizable[str]:
    """Inside each document's branch: one branch per passage."""
    words = document.split()
    for start in range(0, len(words), chunk_size):
        yield " ".join(words[start : start + chunk_size])


def passage_words(passage: str) -> int:
    return len(passage.split())


def document_words(passage_words: Collect[int]) -> int:
    """Collects the passages of one document."""
    return sum(passage_words)


def corpus_words(document_words: Collect[int]) -> int:
    """Collects the documents."""
    return sum(document_words)


nested = ad_hoc_utils.create_temporary_module(
    document, passage, passage_words, document_words, corpus_words
)
dr_nested = (
    driver.Builder()
    .enable_dynamic_execution(allow_experimental_mode=True)
    .with_modules(nested)
    .build()
)
corpus = {"a": "one two three four five", "b": "six seven", "c": ""}
out = dr_nested.execute(
    ["corpus_words", "document_words", "passage_words"],
    inputs={"corpus": corpus, "chunk_size": 2},
)
print(out)

# --- overrides ---
print(dr_stats.execute(["total_words"], inputs=inputs, overrides={"chunk": ["a b", "c"]}))

# --- threads ---
dr_threads = (
    driver.Builder()
    .enable_dynamic_execution(allow_experimental_mode=True)
    .with_modules(chunks_module)
    .with_remote_executor(executors.MultiThreadingExecutor(4))
    .build()
)
result = dr_threads.execute(["digest"], inputs={"text": text, "chunk_size": 4, "style": "long"})
print(result["digest"][0])

# --- processes ---
script = ROOT / "docs" / "examples" / "parallel_processes.py"
done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
print(done.stdout, end="")


# --- an error in a branch ---
def flaky_summary(chunk: str) -> str:
    if "lazy" in chunk:
        raise ValueError(f"cannot summarize {chunk!r}")
    return chunk[:10]


def flaky_digest(flaky_summary: Collect[str]) -> list[str]:
    return flaky_summary


flaky = ad_hoc_utils.create_temporary_module(chunk, flaky_summary, flaky_digest)
dr_flaky = (
    driver.Builder()
    .enable_dynamic_execution(allow_experimental_mode=True)
    .with_modules(flaky)
    .build()
)
attempt(lambda: dr_flaky.execute(["flaky_digest"], inputs={"text": text, "chunk_size": 4}))


# --- misuse ---
def greeting(name: str) -> str:
    return f"hello {name}"


def all_greetings(greeting: Collect[str]) -> list[str]:
    return greeting


def pairs(word_count: int, passage_words: int) -> int:
    return word_count + passage_words


def spread(total_words: int, word_count: int) -> float:
    return word_count / total_words


def spreads(spread: Collect[float]) -> list[float]:
    return spread


def dynamic(*functions):
    module = ad_hoc_utils.create_temporary_module(*functions)
    builder = driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)
    return builder.with_modules(module).build()


attempt(lambda: dynamic(greeting, all_greetings).execute(["all_greetings"], inputs={"name": "x"}))
corpus_in = {"text": "a b c", "chunk_size": 2, "corpus": {"d": "e f"}}
mixed = dynamic(chunk, word_count, document, passage, passage_words, pairs)
attempt(lambda: mixed.execute(["pairs"], inputs=corpus_in))
circular = dynamic(chunk, word_count, total_words, spread, spreads)
attempt(lambda: circular.execute(["spreads"], inputs={"text": "a b c", "chunk_size": 2}))
attempt(lambda: dr_stats.execute(["total_words"], inputs=inputs, overrides={"word_count": 3}))

# --- without dynamic execution ---
static = driver.Builder().with_modules(stats).build()
attempt(lambda: static.execute(["total_words"], inputs=inputs))
attempt(lambda: driver.Builder().with_remote_executor(executors.MultiThreadingExecutor(2)))


# --- tasks ---
from plait import lifecycle
from plait.execution import grouping
from plait.function_modifiers import tag


class Tasks(lifecycle.TaskSubmissionHook):
    """Print the id of each task as it is handed to where it runs."""

    def run_before_task_submission(self, *, task_id, purpose, **future_kwargs):
        print(f"{task_id} ({purpose.value})")


def grouped(strategy):
    return (
        driver.Builder()
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_modules(chunks_module)
        .with_adapters(Tasks())
        .with_grouping_strategy(strategy)
        .build()
    )


two_chunks = {"text": "one two three four five", "chunk_size": 3, "style": "short"}
grouped(grouping.GroupNodesByLevel()).execute(["digest"], inputs=two_chunks)


# --- execution manager ---
@tag(io="network")
def fetched(urls: str) -> str:
    """Stand-in for an HTTP call: the block's items are worth a thread each."""
    return urls.upper()


def pages(fetched: Collect[str]) -> list[str]:
    return fetched


def urls(site: str, count: int) -> Parallelizable[str]:
    for i in range(count):
        yield f"{site}/page{i}"


class ByTag(executors.ExecutionManager):
    """Blocks with a node tagged io="network" run on threads; other blocks inline."""

    def __init__(self):
        self.threads = executors.MultiThreadingExecutor(8)
        self.inline = executors.SynchronousLocalTaskExecutor()
        super().__init__([self.inline, self.threads])

    def get_executor_for_task(self, task):
        network = any(node.tags.get("io") == "network" for node in task.nodes)
        print(f"{task.base_id}: {'threads' if network else 'inline'}")
        return self.threads if network else self.inline


site = ad_hoc_utils.create_temporary_module(urls, fetched, pages)
dr_site = (
    driver.Builder()
    .enable_dynamic_execution(allow_experimental_mode=True)
    .with_modules(site)
    .with_execution_manager(ByTag())
    .build()
)
print(dr_site.execute(["pages"], inputs={"site": "x.org", "count": 2}))
print(dr_site.execute(["pages"], inputs={"site": "y.org", "count": 1}))
attempt(
    lambda: (
        driver.Builder()
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(executors.MultiThreadingExecutor(2))
        .with_execution_manager(ByTag())
    )
)
