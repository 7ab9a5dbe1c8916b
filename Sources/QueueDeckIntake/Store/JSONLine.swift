import Foundation
import QueueDeckDomain

/// One JSON object per line, as the chat and self-service feeds send them: the fields read with
/// the line's place in every problem (README "Chat transcripts": the bad-line rules).
struct JSONLine {
    let object: [String: Any]
    let file: String, lineNumber: Int, offset: Int64

    /// 3000-01-01T00:00:00Z in Unix seconds: later is a mistake, not a time.
    static let latestSeconds = 32_503_680_000.0

    init(_ line: Substring, file: String, lineNumber: Int, offset: Int64) throws(IntakeInputError) {
        self.file = file
        self.lineNumber = lineNumber
        self.offset = offset
        do {
            guard let o = try JSONSerialization.jsonObject(with: Data(line.utf8), options: .fragmentsAllowed) as? [String: Any] else {
                throw IntakeInputError(file: file, line: lineNumber, offset: offset, field: "line", problem: "not a JSON object")
            }
            object = o
        } catch let e as IntakeInputError {
            throw e
        } catch {
            throw IntakeInputError(file: file, line: lineNumber, offset: offset, field: "line",
                                   problem: "not JSON (\((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "syntax error"))")
        }
    }

    func fail(_ field: String, _ problem: String) -> IntakeInputError {
        IntakeInputError(file: file, line: lineNumber, offset: offset, field: field, problem: problem)
    }

    /// A string field, nil when absent or null; anything else is named.
    func string(_ k: String) throws(IntakeInputError) -> String? {
        guard let v = object[k], !(v is NSNull) else { return nil }
        guard let s = v as? String else { throw fail(k, "must be a string") }
        return s
    }

    /// JSON's true and false, not the numbers 0 and 1 (which Foundation gives as NSNumbers too).
    static func isBool(_ n: NSNumber) -> Bool {
        String(cString: n.objCType) == "c"  // Foundation's boolean type code; 0 and 1 are numbers ("i", "q")
    }

    /// `at`: ISO 8601 or Unix seconds, inside `window` (from a year before the journal was created
    /// to a day ahead): anything else is a mistake in the feed, never stored as 1970 or 9999.
    func time(_ k: String, window: ClosedRange<Instant>) throws(IntakeInputError) -> Instant {
        let at: Instant
        switch object[k] {
        case let n as NSNumber where !Self.isBool(n):
            // Unix seconds, range-checked before any conversion: 1e300 must be an error, not a trap.
            let seconds = n.doubleValue
            guard seconds.isFinite, seconds > 0, seconds < Self.latestSeconds else {
                throw fail(k, "\(n) is not a time in Unix seconds (from 1970 to the year 3000)")
            }
            at = Instant(ms: Int64(seconds * 1000))
        case let s as String:
            guard let i = WhenParser.absolute(s) else {
                throw fail(k, "'\(s.prefix(40))' is not an ISO 8601 time (2026-11-24T09:00:00Z) or Unix seconds")
            }
            at = i
        case nil: throw fail(k, "missing")
        default: throw fail(k, "must be an ISO 8601 time or Unix seconds")
        }
        guard window.contains(at) else {
            throw fail(k, "\(at.isoUTC) is outside \(window.lowerBound.isoUTC) … \(window.upperBound.isoUTC) (a year before the desk began to a day from now)")
        }
        return at
    }
}
