import ArgumentParser
import Foundation
import QueueDeckConfig
import QueueDeckDomain
import QueueDeckIntake
import QueueDeckJournal
import QueueDeckMail
import QueueDeckText

struct IngestChat: DeskCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Read a chat system's JSON-lines transcript stream (a file, or - for standard input as it arrives).",
        discussion: "The line format is in README.md (Chat transcripts). Reading the same lines again adds nothing.")
    @OptionGroup var globals: GlobalOptions
    @Argument(help: "The transcript file, or - for standard input.") var file: String

    func execute() throws {
        let desk = try intakeDesk(globals, needs: .intake)
        let now = try globals.now()
        let window = deskLife(desk, now: now)
        var tally: [String: Int] = [:]
        try readJSONLines(file, skipped: { tally["unreadable lines", default: 0] += 1 }) { text, name, lineNumber, offset in
            do {
                let line = try ChatTranscriptLine.parse(Substring(text), file: name, lineNumber: lineNumber, offset: offset, window: window)
                let o = try desk.ingest { state, newID in Intake.chat(line, state: state, rules: desk.rules, newID: newID) }
                tally[resultName(o), default: 0] += 1
            } catch let e as IntakeInputError {
                tally["unreadable lines", default: 0] += 1
                printError("qdeck: \(e) (line skipped)")
            } catch JournalError.eventTooLarge(_, let bytes, let limit) {
                // One oversized line must not stop the stream: named, skipped, the rest read.
                tally["unreadable lines", default: 0] += 1
                printError("qdeck: \(name):\(lineNumber) (byte \(offset)): the message is \(bytes) bytes, over the journal's limit of \(limit) (line skipped)")
            }
        }
        emit(tally.isEmpty ? "nothing new" : tally.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
    }

    func resultName(_ o: IntakeOutcome) -> String {
        switch o.result {
        case .created, .linked: "chats started"
        case .threaded: "chat events"
        case .duplicate: "duplicates"
        case .attached, .held, .awaiting, .recorded, .ignored: "ignored"
        }
    }
}
