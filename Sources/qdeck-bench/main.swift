import Foundation
import QueueDeckDomain
import QueueDeckJournal

/// Benchmarks and the crash-test writer. Build in release for figures:
///   swift build -c release && .build/release/qdeck-bench all [DIR]   (every scale figure, with baselines)
///   swift run -c release qdeck-bench append [DIR] [N]
///   swift run -c release qdeck-bench replay [DIR] [EVENTS]
///   swift run -c release qdeck-bench console [DIR] [TICKETS]
///   swift run -c release qdeck-bench wall [DIR] [TICKETS]
///   swift build -c release && .build/release/qdeck-bench maildir [DIR] [N]   (imports with the qdeck beside it)
///   swift run -c release qdeck-bench blobs [DIR] [MB]       (attachment store MB/s beside cp)
///   swift run -c release qdeck-bench propagation [DIR] [N]  (1 writer, 3 follower processes)
///   .build/release/qdeck-bench replay-vs-python JOURNAL      (e.g. after qdeck demo --events 1000000)
///   .build/release/qdeck-bench startup JOURNAL               (stats and console first frame, snapshot vs --replay)
///   .build/release/qdeck-bench postgres ADMIN_URI [EVENTS]  (issue 16's figures; scripts/bench-postgres.sh)
///   .build/release/qdeck-bench automation [DIR] [TICKETS] [APPENDS]  (issue 17: 200 rules per append, time-rule sweeps)
///   .build/release/qdeck-bench hostile-input                 (parsing speed on hostile mail and chat lines)
///   qdeck-bench crash-suite [DIR] [--long]                  (scripts/crash-suite.sh)
///   qdeck-bench stress-writer JOURNAL WRITER START COUNT   (used by the SIGKILL test)
///   qdeck-bench soak-writer JOURNAL EVENTS BATCH            (used by the wall's soak test)
///   qdeck-bench snapshot-writer JOURNAL                     (used by the crash suite: killed mid-write)
let args = Array(CommandLine.arguments.dropFirst())
switch args.first {
case "append": AppendBench.run(dir: args.count > 1 ? args[1] : FileManager.default.currentDirectoryPath, n: args.count > 2 ? Int(args[2])! : 2000)
case "replay": ReplayBench.run(dir: args.count > 1 ? args[1] : NSTemporaryDirectory(), events: args.count > 2 ? Int(args[2])! : 500_000)
case "console": ConsoleBench.run(dir: args.count > 1 ? args[1] : NSTemporaryDirectory(), tickets: args.count > 2 ? Int(args[2])! : 100_000)
case "wall": WallBench.run(dir: args.count > 1 ? args[1] : NSTemporaryDirectory(), tickets: args.count > 2 ? Int(args[2])! : 100_000)
case "maildir": MaildirBench.run(dir: args.count > 1 ? args[1] : NSTemporaryDirectory(), n: args.count > 2 ? Int(args[2])! : 10_000)
case "maildir-watch": MaildirWatchBench.run(dir: args.count > 1 ? args[1] : NSTemporaryDirectory(), n: args.count > 2 ? Int(args[2])! : 200)
case "blobs": BlobStoreBench.run(dir: args.count > 1 ? args[1] : NSTemporaryDirectory(), megabytes: args.count > 2 ? Int(args[2])! : 256)
case "propagation": PropagationBench.run(dir: args.count > 1 ? args[1] : NSTemporaryDirectory(), n: args.count > 2 ? Int(args[2])! : 1000)
case "propagation-follower": PropagationBench.follow(Array(args.dropFirst()))
case "replay-vs-python": ReplayVsPython.run(Array(args.dropFirst()))
case "startup": StartupBench.run(Array(args.dropFirst()))
case "hostile-input": HostileInputBench.run()
case "automation": AutomationBench.run(dir: args.count > 1 ? args[1] : NSTemporaryDirectory(), tickets: args.count > 2 ? Int(args[2])! : 100_000,
                                       appends: args.count > 3 ? Int(args[3])! : 1000)
case "postgres": PostgresBench.run(Array(args.dropFirst()))
case "all": AllBench.run(dir: args.count > 1 ? args[1] : NSTemporaryDirectory())
case "crash-suite": CrashSuite.run(Array(args.dropFirst()))
case "stress-writer": StressWriter.run(Array(args.dropFirst()))
case "soak-writer": SoakWriter.run(Array(args.dropFirst()))
case "snapshot-writer": SnapshotWriterVictim.run(Array(args.dropFirst()))
default:
    FileHandle.standardError.write(Data("usage: qdeck-bench all [DIR] | append [DIR] [N] | replay [DIR] [EVENTS] | console [DIR] [TICKETS] | wall [DIR] [TICKETS] | maildir [DIR] [N] | maildir-watch [DIR] [N] | blobs [DIR] [MB] | propagation [DIR] [N] | replay-vs-python JOURNAL | startup JOURNAL | postgres ADMIN_URI [EVENTS] | crash-suite [DIR] [--long] | stress-writer JOURNAL WRITER START COUNT | soak-writer JOURNAL EVENTS BATCH\n".utf8))
    exit(64)
}
