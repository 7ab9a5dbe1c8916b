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
        let window = ((desk.journal.created ?? now) - .days(365))...(now + .days(1))
        var recorded = 0, duplicates = 0, unreadable = 0
        try readJSONLines(file) { text, name, lineNumber, offset in
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

/// "1 call", "3 calls".
func countPhrase(_ n: Int, _ singular: String) -> String { "\(n) \(singular)\(n == 1 ? "" : "s")" }

/// Reads a JSON-lines feed (a file, or `-`: standard input as it arrives), handing each non-blank
/// line with its name, number and byte offset; a line split across reads is whole when handed.
func readJSONLines(_ file: String, _ each: (String, String, Int, Int64) throws -> Void) throws {
    let handle: FileHandle
    if file == "-" { handle = .standardInput } else {
        guard let h = FileHandle(forReadingAtPath: file) else { throw Failure(code: Exit.noInput, message: "\(file): cannot read") }
        handle = h
    }
    let name = file == "-" ? "<stdin>" : file
    func handleLine(_ bytes: ArraySlice<UInt8>, _ lineNumber: Int, _ offset: Int64) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        try each(text, name, lineNumber, offset)
    }
    var lines = LineSplitter()
    while true {
        let chunk = handle.availableData
        if chunk.isEmpty { break }
        try lines.feed(chunk, handleLine)
    }
    try lines.finish(handleLine)
}
