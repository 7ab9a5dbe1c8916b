import QueueDeckDomain

/// Asterisk's queue_log line format: `epoch|callid|queue|agent|EVENT|data1|data2|...`
/// (Asterisk documentation, "Queue Logs"). Older files put all data in one field joined by `|`
/// too, which this split handles the same way.
public enum QueueLogLine {
    public static func parse(_ line: Substring, file: String, lineNumber: Int, offset: Int64,
                             window: ClosedRange<Instant> = Instant(ms: 1)...Instant(ms: 32_503_680_000_000)) throws(IntakeInputError) -> CallEvent {
        func fail(_ field: String, _ problem: String) -> IntakeInputError {
            IntakeInputError(file: file, line: lineNumber, offset: offset, field: field, problem: problem)
        }
        let text = line.hasSuffix("\r") ? line.dropLast() : line
        let fields = text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 5 else { throw fail("line", "expected epoch|callid|queue|agent|EVENT|data..., found \(fields.count) field(s)") }
        let epochText = fields[0].split(separator: ".").first.map(String.init) ?? ""
        guard let epoch = Int64(epochText), epoch > 0, epoch < 32_503_680_000 else { throw fail("epoch", "'\(fields[0].prefix(40))' is not a Unix time") }
        guard window.contains(Instant(ms: epoch * 1000)) else {
            throw fail("epoch", "\(Instant(ms: epoch * 1000).isoUTC) is outside \(window.lowerBound.isoUTC) … \(window.upperBound.isoUTC) (a year before the desk began to a day from now)")
        }
        let event = fields[4].trimmingWhitespace()
        guard !event.isEmpty, event.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw fail("event", "'\(event.prefix(40))' is not an event name")
        }
        return CallEvent(at: Instant(ms: epoch * 1000), callID: fields[1], queue: fields[2], agent: fields[3], event: event.uppercased(),
                         data: Array(fields.dropFirst(5)), key: "ql:" + String(text))
    }
}
