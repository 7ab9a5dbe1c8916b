import ArgumentParser
import QueueDeckDomain

/// The options `stats` and `wall` share: which part of the desk, and at which moment.
struct BoardOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Only this department's tickets and agents.", valueName: "dept"))
    var department: String?

    @Option(name: .long, help: ArgumentHelp("Only this channel: email, call or chat.", valueName: "channel"))
    var channel: String?

    @Option(name: .long, help: ArgumentHelp("Time travel: the desk as it stood then (2026-11-20 14:00, yesterday 16:00, 2h).", valueName: "time"))
    var at: String?

    /// The scope, with the department spelled as the roster spells it.
    func scope(_ rules: DeskRules) throws -> MetricsScope {
        var s = MetricsScope()
        if let department {
            guard let d = rules.department(named: department) else {
                throw Failure(code: Exit.usage, message: "--department '\(department)': no such department; one of \(rules.departments.map(\.name).joined(separator: ", "))")
            }
            s.department = d.name
        }
        if let channel {
            guard let c = Channel(rawValue: channel.lowercased()) else {
                throw Failure(code: Exit.usage, message: "--channel '\(channel)': one of email, call, chat")
            }
            s.channel = c
        }
        return s
    }
}
