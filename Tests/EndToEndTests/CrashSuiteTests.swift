import Foundation
import Testing

/// The short crash suite (scripts/crash-suite.sh runs the long one): SIGKILLs of 4 concurrent
/// writers, a cut at every byte of the last records, random corruption, a full disk and a
/// file-size limit. Each part checks that nothing acknowledged is lost and nothing damaged is read.
@Suite struct CrashSuiteTests {
    @Test func shortCrashSuiteHolds() throws {
        let dir = NSTemporaryDirectory()
        let r = try Harness.run("qdeck-bench", ["crash-suite", dir])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("crash suite (short): all checks held"), "\(r.stdout)")
        #expect(r.stdout.contains("1. SIGKILL: ") && r.stdout.contains("missing 0, duplicated 0"))
        #expect(r.stdout.contains("4b. File-size limit"))
        #expect(r.stdout.contains("5d. Journal restored from a backup") && r.stdout.contains("every load equal to a full replay"), "\(r.stdout)")
    }

    /// Part 1 against PostgreSQL: 4 writers, one killed with SIGKILL at a random moment 100 times
    /// (scripts/crash-suite.sh --long --postgres: 1,000); every event acknowledged after COMMIT is
    /// there exactly once, sequence numbers contiguous, the counter at the last.
    @Test func writersKilledAtRandomLoseNothingOnPostgres() throws {
        guard JournalKind.available.contains(.postgres) else { return }
        let cluster = SharedCluster.shared
        let db = try cluster.newDatabase()
        let r = try Harness.run("qdeck-bench", ["crash-suite", NSTemporaryDirectory(), "--postgres", cluster.uri(db, user: "anna")])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("1. SIGKILL (PostgreSQL): 10") && r.stdout.contains("missing 0, duplicated 0"), "\(r.stdout)")
        let stored = try cluster.psql("SELECT count(*), max(seq), (SELECT last FROM qdeck_head) FROM qdeck_events", database: db).1
        let parts = stored.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|")
        #expect(parts.count == 3 && parts[0] == parts[1] && parts[1] == parts[2] && (Int(parts[0]) ?? 0) > 100, "\(stored)")
    }
}
