"""A corpus release on Apache Spark, driving `declass release --jsonl` (docs/spark.md).

Where it sits: the driver lists the corpus exactly as a batch `declass release CORPUS
--out-dir OUT` walks it, and names every document as the batch does; each partition runs one
`declass release --jsonl` process over its documents, and writes each release and its
manifest under OUT with the names the batch would give them. So the output folder of this
job and that of the batch (`--consistency off`, same policy and --as-of) are the same files,
byte for byte: scripts/spark_check.sh checks it.

No document is lost: every input listed is either released (its two files written) or a
failed result naming the reason, in the results file (JSON Lines, one record per input, in
input order), and the driver checks inputs = released + failed before it exits.

Exit codes, as declass's: 0 every document released; 1 some failed (listed on stderr and in
the results); 2 the job could not run (bad arguments, outputs that would collide, a
partition whose declass could not start or answered out of step).

    spark-submit --master local[2] examples/spark/declass_release.py \
        CORPUS OUT --declass target/release/declass --as-of 2026-01-01
"""

import argparse
import json
import os
import stat
import subprocess
import sys
import tempfile
import threading

# The files a batch walk releases (src/cli/files.rs: `wanted`), and the directories it
# does not enter: the same rule here, or the two folders would not hold the same files.
EXTENSIONS = (b".txt", b".md", b".text")
SKIPPED_DIRS = (b"target",)

# What each --format writes, as the batch names it (src/job: Format::extension).
RELEASE_EXTENSIONS = {"text": "release.txt", "json": "release.json", "pdf": "pdf"}

# How many characters of declass's standard error a failure quotes when the process
# itself failed (declass's messages name places, never withheld text).
STDERR_TAIL = 2000


def display(path):
    """A path as declass names it: UTF-8 as is, any other byte as `\\xHH`."""
    out = []
    rest = path
    while rest:
        try:
            out.append(rest.decode("utf-8"))
            break
        except UnicodeDecodeError as e:
            out.append(rest[: e.start].decode("utf-8"))
            out.extend("\\x%02X" % b for b in rest[e.start : e.end])
            rest = rest[e.end :]
    return "".join(out)


def walk(root):
    """Lists the corpus under `root` (bytes, as given) in the batch's order: depth first,
    each directory's entries by the bytes of their names. Returns (files, problems): the
    files as paths joined onto `root` (so that each names its document as the batch
    does), and the entries the batch would report rather than release, as (path, reason)."""
    files, problems, seen = [], [], set()

    def visit(directory):
        real = os.path.realpath(directory)
        if real in seen:
            problems.append((directory, "directory already visited (symlink loop); skipped"))
            return
        seen.add(real)
        try:
            names = sorted(os.listdir(directory))
        except OSError as e:
            problems.append((directory, e.strerror or str(e)))
            return
        for name in names:
            path = os.path.join(directory, name)
            try:
                mode = os.stat(path).st_mode
            except OSError as e:
                problems.append((path, e.strerror or str(e)))
                continue
            if stat.S_ISDIR(mode):
                if not name.startswith(b".") and name not in SKIPPED_DIRS:
                    visit(path)
            elif name.startswith(b".") or not name.endswith(EXTENSIONS):
                continue
            elif stat.S_ISREG(mode):
                files.append(path)
            else:
                problems.append((path, "not a regular file; skipped"))

    visit(root)
    return files, problems


def output_name(root, path, extension):
    """Where the batch writes `path`'s release under its out-dir, relative to it: the path
    under the directory argument, the file's stem, then the format's extension."""
    relative = os.path.relpath(path, root)
    parent, name = os.path.split(relative)
    stem = os.path.splitext(name)[0]
    return os.path.join(parent, stem + b"." + extension.encode())


def manifest_beside(release):
    """`x.release.txt` -> `x.release.manifest.json`, as the batch names it."""
    return os.path.splitext(release)[0] + b".manifest.json"


def write_atomically(path, data):
    """Writes `data` to `path` through a temporary file in the same directory, so that a
    reader (or a retried task) sees the whole file or none of it."""
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=b".declass-spark-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def failed(record, error, could_not_run=False):
    return {
        "index": record["index"],
        "id": record["id"],
        "status": "failed",
        "error": error,
        "could_not_run": could_not_run,
    }


def release_partition(records, settings):
    """Runs one `declass release --jsonl` over a partition's records and writes each
    release. Yields one status per record, in order, whatever happens to the process.

    Why mapPartitions with our own subprocess rather than RDD.pipe: pipe hands back
    declass's stdout lines and, at best, raises on a non-zero exit. Here exit 1 (some
    records failed) is an ordinary answer, and a crash must not lose the records it did
    not answer: with the process in hand, each result is paired with its record (line and
    id checked), and every record left unanswered becomes a failure naming the exit."""
    from pyspark import SparkFiles

    records = list(records)
    if not records:
        return
    binary = SparkFiles.get(settings["declass"])
    # A shipped file may arrive without its execute bit; this copy is the task's own.
    if not os.access(binary, os.X_OK):
        os.chmod(binary, os.stat(binary).st_mode | stat.S_IXUSR)
    command = [binary, "release", "--jsonl", "--as-of", settings["as_of"]]
    command += ["--format", settings["format"], "--threads", str(settings["threads"])]
    if settings["policy"]:
        policy = settings["policy"]
        command += ["--policy", SparkFiles.get(policy) if settings["policy_shipped"] else policy]

    with tempfile.TemporaryFile() as stderr:
        try:
            process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr
            )
        except OSError as e:
            for record in records:
                yield failed(record, "declass could not start: %s" % e, could_not_run=True)
            return

        def feed():
            # Written from a thread while the results are read: declass answers a
            # window at a time, and a full pipe either way would stall both sides.
            try:
                for record in records:
                    line = json.dumps({"id": record["id"], "path": record["path"]})
                    process.stdin.write(line.encode() + b"\n")
                process.stdin.close()
            except BrokenPipeError:
                pass  # declass ended early: the records it did not answer fail below

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        answered = 0
        out_of_step = None
        for line in process.stdout:
            if answered == len(records):
                out_of_step = "more results than records"
                break
            record = records[answered]
            result = json.loads(line)
            if result.get("line") != answered + 1 or result.get("id") != record["id"]:
                out_of_step = "result for line %s (%r) where line %d (%r) was expected" % (
                    result.get("line"), result.get("id"), answered + 1, record["id"])
                break
            answered += 1
            yield write_result(record, result, settings)
        if out_of_step:
            process.kill()
        process.stdout.close()
        code = process.wait()
        feeder.join()
        if answered < len(records):
            stderr.seek(0)
            tail = stderr.read().decode("utf-8", "replace")[-STDERR_TAIL:].strip()
            reason = out_of_step or "declass exited with code %d before answering" % code
            for record in records[answered:]:
                yield failed(record, "%s: %s" % (reason, tail) if tail else reason,
                             could_not_run=True)


def write_result(record, result, settings):
    """Writes a released record's release and manifest where the batch would; returns its
    status."""
    if result.get("status") != "released":
        return dict(failed(record, result.get("error") or "failed"),
                    warnings=result.get("warnings", []))
    if "release_base64" in result:
        import base64

        data = base64.b64decode(result["release_base64"])
    else:
        data = result["release"].encode("utf-8")
    release = os.path.join(settings["out_dir"], record["output"])
    try:
        write_atomically(manifest_beside(release), result["manifest"].encode("utf-8"))
        write_atomically(release, data)
    except OSError as e:
        # Not written is not released: the document fails in its place.
        return failed(record, "%s: %s" % (display(release), e.strerror or e))
    return {
        "index": record["index"],
        "id": record["id"],
        "status": "released",
        "output": display(record["output"]),
        "stamp": result.get("stamp"),
        "warnings": result.get("warnings", []),
    }


def arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", help="the corpus folder (walked recursively, as a batch does)")
    parser.add_argument("out_dir", help="where releases go, named as `--out-dir` names them")
    parser.add_argument("--declass", required=True, help="the declass binary (shipped to executors)")
    parser.add_argument("--policy", help="a policy file (shipped) or a shipped policy's name")
    parser.add_argument("--as-of", required=True, help="the date taken as today (YYYY-MM-DD)")
    parser.add_argument("--format", choices=sorted(RELEASE_EXTENSIONS), default="text")
    parser.add_argument("--partitions", type=int, default=0,
                        help="partitions (default: Spark's default parallelism)")
    parser.add_argument("--threads", type=int, default=1,
                        help="declass threads per partition (match spark.task.cpus)")
    parser.add_argument("--results", help="the results, one JSON line per input "
                        "(default: OUT_DIR.results.jsonl, beside the output folder)")
    return parser.parse_args(argv)


def main(argv):
    args = arguments(argv)
    root = os.fsencode(args.corpus)
    out_dir = os.fsencode(args.out_dir)
    results_path = args.results or args.out_dir.rstrip("/") + ".results.jsonl"
    if not os.path.isdir(root):
        print("declass-spark: error: %s: not a directory" % args.corpus, file=sys.stderr)
        return 2
    if not os.access(args.declass, os.X_OK):
        print("declass-spark: error: %s: not an executable" % args.declass, file=sys.stderr)
        return 2

    files, problems = walk(root)
    extension = RELEASE_EXTENSIONS[args.format]
    records, owners = [], {}
    for index, path in enumerate(files):
        output = output_name(root, path, extension)
        if output in owners:
            # The batch refuses such a job whole: so does this one.
            print("declass-spark: error: the release of %s and the release of %s would both "
                  "be written to %s; nothing was written"
                  % (display(owners[output]), display(path),
                     display(os.path.join(out_dir, output))), file=sys.stderr)
            return 2
        owners[output] = path
        records.append({"index": index, "id": display(path),
                        "path": os.path.abspath(path), "output": output})
    # The JSON Lines interface names files by UTF-8 paths: another name fails in its place.
    unnamed = [r for r in records if not is_utf8(r["path"])]
    records = [dict(r, path=r["path"].decode()) for r in records if is_utf8(r["path"])]

    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("declass-release").getOrCreate()
    sc = spark.sparkContext
    sc.setLogLevel("WARN")
    sc.addFile(os.path.abspath(args.declass))
    policy_shipped = bool(args.policy) and os.path.isfile(args.policy)
    if policy_shipped:
        sc.addFile(os.path.abspath(args.policy))
    settings = {
        "declass": os.path.basename(args.declass),
        "policy": os.path.basename(args.policy) if policy_shipped else args.policy,
        "policy_shipped": policy_shipped,
        "as_of": args.as_of,
        "format": args.format,
        "threads": args.threads,
        "out_dir": os.path.abspath(out_dir),
    }
    partitions = args.partitions or sc.defaultParallelism
    os.makedirs(out_dir, exist_ok=True)

    statuses = []
    if records:
        rdd = sc.parallelize(records, min(partitions, len(records)))
        # Statuses are small (no text): the driver pulls them a partition at a time.
        statuses = rdd.mapPartitions(lambda part: release_partition(part, settings))
        statuses = statuses.toLocalIterator()
    try:
        return report(statuses, unnamed, problems, len(files), results_path)
    except Exception as e:  # a task that failed past its retries: the job did not run
        print("declass-spark: error: the Spark job failed: %s" % e, file=sys.stderr)
        return 2
    finally:
        spark.stop()


def is_utf8(path):
    try:
        path.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def report(statuses, unnamed, problems, listed, results_path):
    """Writes the results file and the summary; returns the exit code."""
    released = failures = 0
    could_not_run = False
    seen = set()
    with open(results_path + ".tmp", "w", encoding="utf-8") as out:
        def emit(status):
            out.write(json.dumps(status, ensure_ascii=False, sort_keys=True) + "\n")

        for status in statuses:
            seen.add(status["index"])
            if status["status"] == "released":
                released += 1
            else:
                failures += 1
                could_not_run |= status.get("could_not_run", False)
                print("declass-spark: %s: %s" % (status["id"], status["error"]), file=sys.stderr)
            emit(status)
        for record in unnamed:
            failures += 1
            seen.add(record["index"])
            error = "the path is not UTF-8, which a JSON Lines record cannot name"
            print("declass-spark: %s: %s" % (record["id"], error), file=sys.stderr)
            emit(failed(record, error))
        for path, reason in problems:
            # Met in the walk but not a document the batch releases: listed like its
            # refusals, counted apart from the inputs.
            print("declass-spark: %s: %s" % (display(path), reason), file=sys.stderr)
            emit({"id": display(path), "status": "skipped", "error": reason})
    os.replace(results_path + ".tmp", results_path)
    print("declass-spark: inputs %d, released %d, failed %d, skipped %d (results: %s)"
          % (listed, released, failures, len(problems), results_path))
    if len(seen) != listed or released + failures != listed:
        print("declass-spark: error: %d inputs but %d results: documents were lost"
              % (listed, released + failures), file=sys.stderr)
        return 2
    if could_not_run:
        return 2
    return 1 if failures or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
