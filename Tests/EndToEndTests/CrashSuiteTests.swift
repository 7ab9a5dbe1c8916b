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
}
