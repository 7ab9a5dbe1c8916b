/// The part of the desk a board or report covers: one department, one channel, or all.
public struct MetricsScope: Hashable, Sendable {
    public var department: String?
    public var channel: Channel?

    public init(department: String? = nil, channel: Channel? = nil) {
        self.department = department
        self.channel = channel
    }

    public static let all = MetricsScope()

    public func admits(_ t: Ticket) -> Bool {
        (channel == nil || t.channel == channel) && (department == nil || t.department == department)
    }

    /// The channels the scope shows, in display order.
    public var channels: [Channel] { channel.map { [$0] } ?? Channel.allCases }

    /// The roster agents the scope shows: those who work queues, in the department if one is set.
    public func agents(_ rules: DeskRules) -> [Agent] {
        rules.agents.filter { $0.may(.reply) && (department == nil || $0.departments.contains(department!)) }
    }

    /// Words for headers: "billing · call", or "whole desk".
    public var label: String {
        let parts = [department, channel?.rawValue].compactMap { $0 }
        return parts.isEmpty ? "whole desk" : parts.joined(separator: " · ")
    }
}
