import ArgumentParser
import Foundation
import QueueDeckDomain
import QueueDeckIntake
import QueueDeckJournal

struct IngestSelfService: DeskCommand {
    static let configuration = CommandConfiguration(
        commandName: "self-service",
        abstract: "Record self-service (knowledge-base articles read, bot answers accepted) from JSON lines: a file, or - for standard input.",
        discussion: "The line format is in README.md (Self-service); it feeds the deflection ratio of `qdeck stats` and the wall. Reading the same lines again adds nothing.")
    @OptionGroup var globals: GlobalOptions
    @Argument(help: "The JSON-lines file, or - for standard input.") var file: String

    func execute() throws {
        let desk = try intakeDesk(globals, needs: .intake)
        let now = try globals.now()
        let window = deskLife(desk, now: now)
        var recorded = 0, duplicates = 0, unreadable = 0
        try readJSONLines(file, skipped: { unreadable += 1 }) { text, name, lineNumber, offset in
            do {
                let (record, at) = try SelfServiceLine.parse(Substring(text), file: name, lineNumber: lineNumber, offset: offset, window: window)
                let o = try desk.ingest { state, _ in Intake.selfService(record, at: at, state: state) }
                if case .duplicate = o.result { duplicates += 1 } else { recorded += 1 }
            } catch let e as IntakeInputError {
                unreadable += 1
                printError("qdeck: \(e) (line skipped)")
            } catch JournalError.eventTooLarge(_, let bytes, let limit) {
                unreadable += 1
                printError("qdeck: \(name):\(lineNumber) (byte \(offset)): the line is \(bytes) bytes, over the journal's limit of \(limit) (line skipped)")
            }
        }
        emit(countPhrase(recorded, "self-service interaction") + " recorded, " + countPhrase(duplicates, "duplicate")
             + (unreadable > 0 ? ", " + countPhrase(unreadable, "unreadable line") + " skipped" : ""))
    }
}
