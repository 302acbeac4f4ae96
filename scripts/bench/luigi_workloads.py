"""The peer benchmark's Luigi side (scripts/bench-peers): a chain or a fan of no-op tasks, timed.

Each task writes its (empty) output target, the usual way a Luigi task says it is done; Luigi runs with its local
scheduler and N workers (each task in a forked worker process when N > 1). Prints one JSON line:
{"shape": ..., "tasks": ..., "wall_s": ...}.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time

import luigi


class ChainTask(luigi.Task):
    index = luigi.IntParameter()
    root = luigi.Parameter()

    def requires(self):
        return [ChainTask(index=self.index - 1, root=self.root)] if self.index > 0 else []

    def output(self):
        return luigi.LocalTarget(os.path.join(self.root, f"chain-{self.index}"))

    def run(self):
        with self.output().open("w"):
            pass


class LeafTask(luigi.Task):
    index = luigi.IntParameter()
    root = luigi.Parameter()

    def output(self):
        return luigi.LocalTarget(os.path.join(self.root, f"leaf-{self.index}"))

    def run(self):
        with self.output().open("w"):
            pass


class FanTask(luigi.WrapperTask):
    tasks = luigi.IntParameter()
    root = luigi.Parameter()

    def requires(self):
        return [LeafTask(index=index, root=self.root) for index in range(self.tasks)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shape", choices=["chain", "fan"], required=True)
    parser.add_argument("--tasks", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    root = tempfile.mkdtemp(prefix="luigi-bench-")
    try:
        task = ChainTask(index=args.tasks - 1, root=root) if args.shape == "chain" else FanTask(tasks=args.tasks, root=root)
        started = time.perf_counter()
        result = luigi.build([task], local_scheduler=True, workers=args.workers, log_level="ERROR", detailed_summary=True)
        wall = time.perf_counter() - started
        done = len(os.listdir(root))
        if done != args.tasks or not result.scheduling_succeeded:
            print(f"luigi run incomplete: {done} of {args.tasks} outputs ({result.status})", file=sys.stderr)
            sys.exit(1)
        print(json.dumps({"shape": args.shape, "tasks": args.tasks, "wall_s": wall}))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
