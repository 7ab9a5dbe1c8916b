import ArgumentParser
import Foundation
import QueueDeckDomain

struct Stats: DeskCommand {
    static let configuration = CommandConfiguration(
        abstract: "Queue depth, backlog, response and resolution times, SLA compliance, agents.",
        discussion: """
        Times, compliance and abandoned counts cover the period since --since (default: since midnight in the
        desk's time zone). --at shows the desk as it stood at an earlier moment, replayed from the journal.
        Every figure is defined in README.md; the wall shows the same ones.
        """)
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var board: BoardOptions
    @Option(name: .long, help: ArgumentHelp("Start of the period: a duration back from now (24h, 7d) or a date.", valueName: "when")) var since: String?
    @Flag(name: .long, help: "Print JSON.") var json = false
    @OptionGroup var fullReplay: ReplayOption

    func execute() throws {
        let session = try DeskSession(globals, writable: false, asOf: board.at, fullReplay: fullReplay.replay)
        let scope = try board.scope(session.rules)
        let cal = session.rules.calendar
        let start = try since.map { try parseMoment($0, option: "--since", now: session.now, calendar: cal) } ?? cal.startOfDay(session.now)
        // A period that starts after the moment shown holds nothing: said, not printed as zeros.
        if start > session.now {
            throw Failure(code: Exit.usage, message: "--since \(since ?? ""): \(start.isoUTC) is after \(session.now.isoUTC), the moment shown; the period would be empty")
        }
        let m = DeskMetrics.compute(session.state, context: session.viewContext(), since: start, scope: scope)
        let trend = DeskTrend.compute(session.state, now: session.now, autoCloseAfter: session.rules.autoCloseAfter, scope: scope)
        let out = StatsJSON(m, trend: trend, timeTravel: board.at != nil)
        if json { try printJSON(out) } else { emit(out.text) }
    }
}
