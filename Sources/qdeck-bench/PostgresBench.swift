import Foundation
import QueueDeckBackends
import QueueDeckDomain
import QueueDeckJournal
import QueueDeckPostgres

/// `qdeck-bench postgres ADMIN_URI [EVENTS]`: issue 16's figures on a server the caller started
/// (scripts/bench-postgres.sh starts a throwaway one), each beside its baseline in the same run:
/// 1. a durable append (anna's login, through qdeck_append) beside a bare INSERT of the same bytes
///    committed on its own, through the same client, alternating rounds;
/// 2. propagation: `propagation` with the journal in PostgreSQL (LISTEN/NOTIFY, 3 followers);
/// 3. a full replay and a start-up from a snapshot of an EVENTS-event desk (default 1,000,000) from
///    PostgreSQL beside the same from its file (`qdeck stats`, `qdeck stats --replay`).
/// ADMIN_URI: a superuser's address of the server (databases and roles are made here).
enum PostgresBench {
    static func run(_ args: [String]) {
        guard let adminText = args.first, case .postgres(let admin, _) = BenchJournal.location(adminText) else {
            FileHandle.standardError.write(Data("usage: qdeck-bench postgres ADMIN_URI [EVENTS]\n".utf8))
            exit(64)
        }
        let events = args.count > 1 ? Int(args[1]) ?? 1_000_000 : 1_000_000
        let dir = NSTemporaryDirectory() + "qdeck-pgbench-\(getpid())"
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        append(database(admin, "bench_append"))
        let propagationDB = database(admin, "bench_propagation")
        PropagationBench.run(dir: dir, n: 1000, journal: BenchJournal.text(propagationDB.as("anna")))
        replay(database(admin, "bench_replay"), dir: dir, events: events)
    }

    /// A new database with the schema and anna (agent) and admin (administrator) as logins.
    static func database(_ admin: PostgresAddress, _ name: String) -> PostgresAddress {
        let server = admin
        _ = runProgram("/usr/bin/env", ["psql", psqlConnection(server), "-qc", "DROP DATABASE IF EXISTS \(name)"])
        _ = runProgram("/usr/bin/env", ["psql", psqlConnection(server), "-qc", "CREATE DATABASE \(name)"])
        var a = admin
        a.database = name
        _ = try! PostgresAdmin.initialise(a)
        _ = try! PostgresAdmin.syncRoster(a, agents: [Agent(user: "anna", name: "Anna", role: .agent),
                                                     Agent(user: "admin", name: "Admin", role: .administrator)])
        return a
    }

    static func psqlConnection(_ a: PostgresAddress) -> String {
        switch a.endpoint {
        case .socket(let folder, let port): "host=\(folder) port=\(port) user=\(a.user) dbname=\(a.database)"
        case .tcp(let host, let port): "host=\(host) port=\(port) user=\(a.user) dbname=\(a.database)"
        }
    }

    // MARK: 1. Append

    static func append(_ db: PostgresAddress) {
        let journal = try! PostgresJournal(address: db.as("anna"), create: true)
        let probe = try! PostgresProbe(address: db)
        let ticket = StressWriter.ticketID(writer: 1, n: 1)
        _ = try! journal.append([Event(ticket: ticket, at: Instant(ms: 0), actor: "anna",
                                       kind: .created(TicketOpening(channel: .email, customer: Customer(name: "b"), subject: "bench")))], expecting: [:])
        let body = String(repeating: "y", count: 150)
        var version: UInt32 = 1
        var seq: Int64 = 0
        var tj: [Double] = [], tb: [Double] = []
        let rounds = 6, perRound = 400
        // Warm both paths (plans, connections) before measuring.
        for _ in 0..<50 {
            _ = try! journal.append([Event(ticket: ticket, at: Instant(ms: 1), actor: "anna", kind: .note(body: body))], expecting: [ticket: version])
            version += 1
            seq += 1
            _ = try! probe.insert(seq: seq, ticket: ticket.raw, actor: "anna", type: 4, payload: Array(body.utf8))
        }
        for round in 0..<rounds {
            for i in 0..<perRound {
                let e = Event(ticket: ticket, at: Instant(ms: Int64(i)), actor: "anna", kind: .note(body: body))
                if round % 2 == 0 {
                    let t0 = nanos()
                    _ = try! journal.append([e], expecting: [ticket: version])
                    tj.append(Double(nanos() - t0) / 1000)
                    version += 1
                } else {
                    seq += 1
                    tb.append(try! probe.insert(seq: seq, ticket: ticket.raw, actor: "anna", type: 4, payload: EventCodec.body(of: e)))
                }
            }
        }
        tj.sort(); tb.sort()
        print("durable append on PostgreSQL, \(tj.count) appends and \(tb.count) inserts in alternating rounds of \(perRound)")
        print("  qdeck append (qdeck_append: login, counter row, version check, insert, NOTIFY, COMMIT): median \(f1(percentile(tj, 0.5))) µs, p99 \(f1(percentile(tj, 0.99))) µs")
        print("  bare INSERT of the same bytes, committed on its own, same client:                      median \(f1(percentile(tb, 0.5))) µs, p99 \(f1(percentile(tb, 0.99))) µs")
        print("  ratio (median): \(String(format: "%.2f", percentile(tj, 0.5) / percentile(tb, 0.5)))×, (p99): \(String(format: "%.2f", percentile(tj, 0.99) / percentile(tb, 0.99)))×   target ≤ 2×")
    }

    // MARK: 3. Replay and start-up

    static func replay(_ db: PostgresAddress, dir: String, events: Int) {
        let qdeck = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("qdeck").path
        let file = dir + "/desk.journal"
        let env = ["QDECK_AGENT": "", "XDG_DATA_HOME": dir + "/data", "QDECK_JOURNAL": ""]
        let made = runProgram(qdeck, ["demo", "--journal", file, "--no-console", "--events", String(events)], env: env)
        guard made.0 == 0 else { print("  demo failed: \(made.1)"); return }
        let uri = BenchJournal.text(db.as("admin"))
        let t0 = nanos()
        let copied = runProgram(qdeck, ["log", "copy", file, uri], env: env)
        guard copied.0 == 0 else { print("  log copy failed: \(copied.1)"); return }
        print("replay and start-up, a \(events)-event desk (qdeck demo --events): log copy into PostgreSQL took \(f1(Double(nanos() - t0) / 1e9)) s")
        // The first run of each writes the snapshot the later ones start from.
        for place in [file, uri] { _ = runProgram(qdeck, ["--journal", place, "stats"], env: env) }
        for (label, extra) in [("full replay (stats --replay)", ["--replay"]), ("start-up from a snapshot (stats)", [])] {
            var fileTimes: [Double] = [], pgTimes: [Double] = []
            for _ in 0..<5 {
                fileTimes.append(AllBench.timed(qdeck, ["--journal", file, "stats"] + extra, env: env))
                pgTimes.append(AllBench.timed(qdeck, ["--journal", uri, "stats"] + extra, env: env))
            }
            fileTimes.sort(); pgTimes.sort()
            print("  \(label): file median \(f1(fileTimes[2] * 1000)) ms, PostgreSQL median \(f1(pgTimes[2] * 1000)) ms (\(String(format: "%.2f", pgTimes[2] / fileTimes[2]))×) of 5 each, alternating")
        }
        print("  target: start-up from a snapshot within 1.5× of the file's")
    }
}
