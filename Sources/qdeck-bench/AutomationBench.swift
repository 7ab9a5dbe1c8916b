import Foundation
import QueueDeckDomain
import QueueDeckJournal

/// Issue 17's figures (docs/PERFORMANCE.md): what 200 event rules add to each append, beside the
/// same append without rules, interleaved in one run; and a time-rule sweep over 100,000 open
/// tickets: a full look, and a runner's look when nothing or one minute changed.
enum AutomationBench {
    static func run(dir: String, tickets n: Int, appends: Int) {
        let path = dir + "/bench-automation-\(getpid()).journal"
        defer { unlink(path) }
        let now = Instant(ms: 1_795_600_000_000)
        var rules = BenchDesk.write(path: path, tickets: n, now: now)
        rules.cannedResponses = [CannedResponse(name: "received", text: "Dear {first_name}, we have {ticket}.")]
        let plain = rules
        rules.automation.rules = eventRules(200)
        let journal = try! FileJournal(path: path)
        var state = DeskState(autoCloseAfter: rules.autoCloseAfter)
        state.apply(try! journal.readNew())
        print("automation on a desk of \(n) open tickets, \(dir)")

        // 1. Event rules: decide a new ticket, add what the rules do, append durably.
        var withRules: [Double] = [], without: [Double] = [], rulesOnly: [Double] = []
        var made = 0
        let customer = Agent(user: "customer", name: "customer", role: Role(name: "intake", permissions: [.create, .inbound]))
        for i in 0..<(2 * appends) {
            let useRules = i % 2 == 0
            let desk = useRules ? rules : plain
            let subject = ["refund for order \(i)", "login fails \(i)", "parcel late \(i)", "invoice \(i)"][i % 4]
            let opening = TicketOpening(channel: [.email, .chat, .call][i % 3], customer: Customer(name: "C \(i)", email: "c\(i)@\(["shop", "bank", "mail"][i % 3]).example"),
                                        subject: subject, body: "text \(i)")
            let at = now + Millis(i)
            let ctx = CommandContext(actor: customer, now: at, rules: desk, newTicketID: { StressWriter.ticketID(writer: 9, n: i) })
            let t0 = nanos()
            var d = try! Commands.decide(.create(opening), state: state, context: ctx)
            let t1 = nanos()
            if useRules { d = Automation.follow(d, state: state, rules: desk, now: at) }
            let t2 = nanos()
            let stored = try! journal.append(d.events, expecting: d.expectedVersions)
            let t3 = nanos()
            state.apply(stored)
            if useRules {
                made += d.events.count - 1
                rulesOnly.append(Double(t2 - t1) / 1000)
                withRules.append(Double(t3 - t0) / 1000)
            } else {
                without.append(Double(t3 - t0) / 1000)
            }
        }
        func line(_ name: String, _ samples: [Double]) -> (Double, Double) {
            let s = samples.sorted()
            let m = percentile(s, 0.5), p = percentile(s, 0.99)
            print("  \(name.padding(toLength: 52, withPad: " ", startingAt: 0)) median \(String(format: "%7.1f", m)) µs   p99 \(String(format: "%7.1f", p)) µs")
            return (m, p)
        }
        print("event rules: \(appends) new tickets with 200 rules and \(appends) without, interleaved (\(made) rule events made)")
        let a = line("append without rules (decide + write + fdatasync)", without)
        let b = line("append with 200 rules (decide + rules + write + sync)", withRules)
        _ = line("  of which the 200 rules", rulesOnly)
        print("  ratio with/without: median \(String(format: "%.2f", b.0 / a.0))×, p99 \(String(format: "%.2f", b.1 / a.1))×")

        // 2. Time rules over every open ticket.
        rules.automation.rules = timeRules
        let later = now + .hours(2)
        let view = ViewContext(now: later, me: "", rules: rules)
        let open = state.all.filter { $0.status(at: later, autoCloseAfter: rules.autoCloseAfter).isUnresolved }.count
        let s0 = nanos()
        let first = Automation.sweep(state, rules: rules, now: later, view: view)
        let s1 = nanos()
        let again = Automation.sweep(state, rules: rules, now: later, view: view)
        let s2 = nanos()
        print("time rules: \(timeRules.count) rules over \(state.count) tickets (\(open) open)")
        print("  full sweep, cold (SLA plans computed):  \(String(format: "%7.1f", Double(s1 - s0) / 1e6)) ms, \(first.events.count) events")
        print("  full sweep, warm:                       \(String(format: "%7.1f", Double(s2 - s1) / 1e6)) ms, \(again.events.count) events")
        // A runner: each sweep's events appended and folded, as `qdeck automate` does.
        let memory = SweepMemory()
        func runnerSweep(_ name: String, at t: Instant) {
            view.now = t
            let s = nanos()
            let d = Automation.sweep(state, rules: rules, now: t, view: view, memory: memory)
            let e = nanos()
            if !d.events.isEmpty { state.apply(try! journal.append(d.events, expecting: d.expectedVersions)) }
            print("  runner, \(name.padding(toLength: 32, withPad: " ", startingAt: 0)) \(String(format: "%7.1f", Double(e - s) / 1e6)) ms, looked at \(memory.looked), \(d.events.count) events")
        }
        runnerSweep("first sweep (acts):", at: later)
        runnerSweep("next (re-arms what left):", at: later)
        runnerSweep("next (its re-arms folded):", at: later)
        runnerSweep("nothing changed:", at: later)
        runnerSweep("one minute later:", at: later + .minutes(1))
        runnerSweep("an hour later:", at: later + .hours(1))
    }

    /// 200 rules of the kinds a desk writes: routing by words and senders, tagging, priorities,
    /// notifications and an acknowledgement; a few match each new ticket.
    static func eventRules(_ count: Int) -> [Rule] {
        let words = ["refund", "login", "parcel", "invoice", "password", "crash", "vat", "order", "delivery", "account"]
        var out: [Rule] = []
        for i in 0..<count {
            let w = words[i % words.count]
            let (condition, actions): (String, [RuleAction]) = switch i % 5 {
            case 0: ("channel:email \(w) -tag:r\(i)", [.tags(add: ["r\(i)"], remove: [])])
            case 1: ("from:@domain\(i).example", [.priority(.high)])
            case 2: ("priority:urgent tag:x\(i)", [.notify([.supervisors])])
            case 3: ("group:vip channel:chat \(w)\(i)", [.department("billing")])
            default: ("dept:technical tag:y\(i)", [.assignee(.nobody)])
            }
            out.append(Rule(name: "rule \(i)", on: i % 7 == 6 ? .customerMessage : .created, condition: try! TicketFilter.parse(condition), actions: actions))
        }
        out.append(Rule(name: "acknowledge", on: .created, condition: try! TicketFilter.parse("channel:email"), actions: [.reply(canned: "received")]))
        return out
    }

    static let timeRules: [Rule] = [
        Rule(name: "escalate at risk", on: .time, condition: try! TicketFilter.parse("sla:at-risk -tag:escalated"), actions: [.tags(add: ["escalated"], remove: []), .notify([.supervisors])]),
        Rule(name: "breached", on: .time, condition: try! TicketFilter.parse("sla:breached priority:>=high"), actions: [.priority(.urgent)]),
        Rule(name: "close the loop", on: .time, condition: try! TicketFilter.parse("status:answered idle:>3d"), actions: [.resolve]),
        Rule(name: "long wait", on: .time, condition: try! TicketFilter.parse("waiting:>8h channel:email"), actions: [.tags(add: ["long-wait"], remove: [])]),
        Rule(name: "vip after hours", on: .time, condition: try! TicketFilter.parse("group:vip hours:closed"), actions: [.notify([.supervisors])]),
    ]
}
