/// Who holds what: each agent's new and open tickets by channel, and when they last got one.
struct Workload {
    var held: [String: [Channel: Int]] = [:]
    var lastGiven: [String: Instant] = [:]
    /// Within one batch or sweep every ticket is given at the same instant: the order given.
    private var givenHere: [String: Int] = [:]
    private var given = 0

    init(_ state: DeskState, now: Instant, rules: DeskRules) {
        for t in state.all {
            guard let a = t.assignee else { continue }
            if t.status(at: now, autoCloseAfter: rules.autoCloseAfter).isWaitingForDesk { held[a, default: [:]][t.channel, default: 0] += 1 }
            if let h = t.history.last(where: { if case .reassigned = $0.change { true } else if case .claimed = $0.change { true } else { false } }),
               h.at > lastGiven[a] ?? Instant(ms: .min) {
                lastGiven[a] = h.at
            }
        }
    }

    /// An available agent of the ticket's department under capacity for its channel, or nil.
    func pick(for t: Ticket, policy: Distribution, presence: [String: PresenceRecord], rules: DeskRules) -> String? {
        let candidates = rules.agents.filter { a in
            a.may(.reply) && (t.department.map { a.departments.contains($0) } ?? true) && presence[a.user]?.presence == .available
                && (held[a.user]?[t.channel] ?? 0) < (policy.capacity[t.channel] ?? .max)
        }
        let never = Instant(ms: .min)
        // Who got one least recently: by time, then (at the same instant) by the order given here.
        let earlier = { (a: Agent, b: Agent) -> Bool in
            ((lastGiven[a.user] ?? never).ms, givenHere[a.user] ?? 0) < ((lastGiven[b.user] ?? never).ms, givenHere[b.user] ?? 0)
        }
        switch policy.mode {
        case .leastLoaded:
            return candidates.min { a, b in
                let la = held[a.user]?[t.channel] ?? 0, lb = held[b.user]?[t.channel] ?? 0
                return la != lb ? la < lb : earlier(a, b)
            }?.user
        case .roundRobin:
            return candidates.min(by: earlier)?.user
        }
    }

    mutating func took(_ user: String, _ channel: Channel, at: Instant) {
        held[user, default: [:]][channel, default: 0] += 1
        lastGiven[user] = at
        given += 1
        givenHere[user] = given
    }
}
