import ArgumentParser
import Foundation
import QueueDeckConsole
import QueueDeckDomain

struct Wall: DeskCommand {
    static let configuration = CommandConfiguration(
        abstract: "The supervisor's wall screen: queue depth, SLA, agents and backlog in big digits, live.",
        discussion: "Read-only. Keys: " + KeyMap.wall.bindings.map { b in b.keys.map(\.description).joined(separator: " or ") + " " + b.summary }.joined(separator: "; ") + ".\n" + """
        --at shows the desk as it stood at a moment; --replay FROM plays it back from then at --speed
        (60x: an hour a minute). Thresholds come from the team file's wall.thresholds section.
        NO_COLOR=1 draws without colour; --ascii (or QDECK_ASCII=1, or a vt100 terminal) without block characters.
        """)
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var board: BoardOptions
    @Option(name: .long, help: ArgumentHelp("Play the journal back from this moment.", valueName: "time")) var replay: String?
    @Option(name: .long, help: ArgumentHelp("Replay speed: 60x plays an hour a minute.", valueName: "Nx")) var speed: String = "60x"
    @Option(name: .long, help: ArgumentHelp("First layout: overview, channels, agents or backlog.", valueName: "layout")) var layout: String = "overview"
    @Flag(name: .long, help: "Plain ASCII instead of block characters.") var ascii = false

    func execute() throws {
        if board.at != nil && replay != nil { throw Failure(code: Exit.usage, message: "--at and --replay do not go together: --at holds one moment, --replay plays from one") }
        guard let first = WallLayout(rawValue: layout.lowercased()) else {
            throw Failure(code: Exit.usage, message: "--layout '\(layout)': one of \(WallLayout.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let rate = try parseSpeed(speed)
        let session = try DeskSession.waitingForTheDatabase { try DeskSession(globals, writable: false, asOf: board.at ?? replay, keepLater: replay != nil) }
        let scope = try board.scope(session.rules)
        let mode: WallMode = board.at != nil ? .at(session.now) : replay != nil ? .replay(speed: rate) : .live
        let wall = WallBoard(rules: session.rules, scope: scope, state: session.state, now: session.now, mode: mode,
                             pending: session.laterEvents)
        wall.layout = first
        let env = ProcessInfo.processInfo.environment
        let noColor = !(env["NO_COLOR"] ?? "").isEmpty
        let term = env["TERM"] ?? ""
        let plain = ascii || !(env["QDECK_ASCII"] ?? "").isEmpty || term.hasPrefix("vt") || term == "dumb"
        let wallClock = clockFromEnvironment(try globals.now())
        do {
            let app = try WallApp(board: wall, journal: session.journal, clock: wallClock,
                                  noColor: noColor, ascii: plain)
            app.run()
        } catch let e as TerminalError {
            throw Failure(code: Exit.usage, message: e.description)
        }
    }

    func parseSpeed(_ text: String) throws -> Double {
        var t = text.lowercased()
        if t.hasSuffix("x") || t.hasSuffix("×") { t.removeLast() }
        guard let v = Double(t), v > 0, v <= 1_000_000 else {
            throw Failure(code: Exit.usage, message: "--speed '\(text)': a factor like 60x (more than 0, at most 1000000x)")
        }
        return v
    }
}
