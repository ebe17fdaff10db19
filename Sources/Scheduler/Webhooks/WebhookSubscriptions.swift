import Foundation

/// The URLs told when a task reaches a final state: the task's own `callback_url`, and
/// those the deployment subscribes (`WEBHOOK_URLS`), each to every task type or some.
///
/// `WEBHOOK_URLS` is a comma-separated list of entries, each a URL (every task type) or
/// `type1|type2=URL` (those types only), e.g.
/// `https://ops.example/hooks,transcribe|render=https://media.example/done`.
public struct WebhookSubscriptions: Sendable, Hashable {
    /// One subscribed URL and the task types it wants (`nil`: all).
    public struct Subscription: Sendable, Hashable {
        public var url: String
        public var taskTypes: Set<String>?

        public init(url: String, taskTypes: Set<String>? = nil) {
            self.url = url
            self.taskTypes = taskTypes
        }
    }

    public var subscriptions: [Subscription]

    public init(_ subscriptions: [Subscription] = []) {
        self.subscriptions = subscriptions
    }

    /// No deployment subscriptions: only tasks' own callback URLs are told.
    public static let none = WebhookSubscriptions()

    /// Reads `WEBHOOK_URLS`; the error says which entry is wrong and why.
    public init(parsing text: String) throws(WebhookURLError) {
        var subscriptions: [Subscription] = []
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            var url = entry
            var types: Set<String>?
            if let equals = entry.firstIndex(of: "="), !entry[..<equals].contains("://") {
                let names = entry[..<equals].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                guard !names.isEmpty, names.allSatisfy(TaskTypeDeclaration.isValidName) else {
                    throw WebhookURLError(url: entry, problem: "names task types that are not valid names (type1|type2=URL)")
                }
                types = Set(names)
                url = String(entry[entry.index(after: equals)...])
            }
            try WebhookAddressPolicy.checkSyntax(url)
            subscriptions.append(Subscription(url: url, taskTypes: types))
        }
        self.init(subscriptions)
    }

    /// The URLs to tell of `task`'s final state, its own first, each once.
    public func urls(for task: AgentTask) -> [String] {
        var urls: [String] = task.callbackURL.map { [$0] } ?? []
        for subscription in subscriptions
        where subscription.taskTypes?.contains(task.taskType) ?? true && !urls.contains(subscription.url) {
            urls.append(subscription.url)
        }
        return urls
    }

    /// Whether ending `task` writes any delivery: when not, stores keep their one-statement
    /// path for its result.
    package func wants(_ task: AgentTask) -> Bool {
        task.callbackURL != nil || subscriptions.contains { $0.taskTypes?.contains(task.taskType) ?? true }
    }
}
