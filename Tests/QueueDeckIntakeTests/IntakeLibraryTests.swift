@testable import QueueDeckDomain
import Testing
@testable import QueueDeckIntake

/// Intake's own pieces, without a process: the stream splitter, the import tally, the chat line
/// parser's checks, and how sendmail is called.
@Suite struct LineSplitterTests {
    func lines(_ chunks: [String]) -> [(String, Int, Int64)] {
        var out: [(String, Int, Int64)] = []
        var s = LineSplitter()
        for c in chunks { s.feed(Array(c.utf8)) { out.append((String(decoding: $0, as: UTF8.self), $1, $2)) } }
        s.finish { out.append((String(decoding: $0, as: UTF8.self), $1, $2)) }
        return out
    }

    @Test func linesAcrossChunksKeepTheirNumbersAndOffsets() {
        let got = lines(["ab", "c\nde", "f\n\ng", "h"])
        #expect(got.map(\.0) == ["abc", "def", "", "gh"])
        #expect(got.map(\.1) == [1, 2, 3, 4])
        #expect(got.map(\.2) == [0, 4, 8, 9])
    }

    @Test func aLongLineInManyChunksIsOneLine() {
        let chunks = Array(repeating: String(repeating: "x", count: 1000), count: 200) + ["\n"]
        let got = lines(chunks)
        #expect(got.count == 1 && got[0].0.count == 200_000)
    }
}

@Suite struct ImportTallyTests {
    @Test func everyOutcomeIsCountedSomewhere() {
        var t = ImportTally()
        let d = Decision(events: [], expectedVersions: [:])
        let id = TicketID.desk
        for r: IntakeOutcome.Result in [.created(id), .linked(id, from: id), .threaded(id), .attached(id), .held, .awaiting(id), .duplicate(id), .ignored("x")] {
            t.count(IntakeOutcome(result: r, decision: d, flagged: r == .held))
        }
        #expect(t.imported == 2 && t.threaded == 1 && t.automatic == 2 && t.awaiting == 1 && t.duplicates == 1 && t.ignored == 1 && t.flagged == 1)
        #expect(t.summary.contains("1 from other senders awaiting an agent"))
    }
}

@Suite struct ChatLineChecksTests {
    @Test func timesOutsideTheWindowAndBadAddressesAreNamed() {
        let window = Instant(ms: 1_795_000_000_000)...Instant(ms: 1_796_000_000_000)
        func parse(_ json: String) -> String? {
            do { _ = try ChatTranscriptLine.parse(Substring(json), file: "f", lineNumber: 3, offset: 9, window: window); return nil }
            catch { return "\(error)" }
        }
        #expect(parse(#"{"type":"start","session":"a","at":"2h"}"#)?.contains("is not an ISO 8601 time") == true)
        #expect(parse(#"{"type":"start","session":"a","at":"2030-01-01T00:00:00Z"}"#)?.contains("is outside") == true)
        #expect(parse(#"{"type":"start","session":"a","at":1795500000,"visitor":{"email":"a@x,b@y"}}"#)?.contains("visitor.email") == true)
        #expect(parse(#"{"type":"start","session":"a","at":1795500000,"visitor":{"email":"a@x.example"}}"#) == nil)
    }
}

@Suite struct SendmailTests {
    @Test func theRecipientIsAnArgumentUnlessTheCommandReadsHeaders() {
        let plain = Sendmail(environment: [:]).withEnvelopeSender("Desk <help@desk.example>").addressed(to: ["-oQ/tmp@x.example"])
        #expect(plain.command == ["/usr/sbin/sendmail", "-oi", "-f", "help@desk.example", "--", "-oQ/tmp@x.example"])
        let headers = Sendmail(environment: ["QDECK_SENDMAIL": "/usr/sbin/sendmail -oi -t"]).addressed(to: ["a@x.example"])
        #expect(headers.command == ["/usr/sbin/sendmail", "-oi", "-t"])
        // A desk address that is not one mailbox is not passed as the envelope sender.
        #expect(Sendmail(environment: [:]).withEnvelopeSender("a@x.com,b@evil.com").command == ["/usr/sbin/sendmail", "-oi"])
    }
}
