import Configuration
import Foundation
import Testing

@testable import Scheduler
@testable import SchedulerPostgres

@Suite("Configuration", .timeLimit(.minutes(5)))
struct ConfigurationTests {
    func configuration(_ environment: [String: String]) throws(ConfigurationError) -> SchedulerConfiguration {
        try SchedulerConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
    }

    @Test("defaults follow the task processor's")
    func defaults() throws {
        let configuration = try configuration([:])
        #expect(configuration.databaseURL == "agent-scheduler.sqlite")
        #expect(configuration.port == 8080)
        #expect(configuration.maxRetries == 3)
        #expect(configuration.engine.pollInterval == .seconds(30))
        #expect(configuration.engine.batchSize == 10)
        #expect(configuration.engine.retryPolicy.baseDelay == .seconds(60))
    }

    @Test("a public HOST without a token is refused, naming an empty token as such; loopback and tokens pass")
    func servingRule() throws {
        for host in ["0.0.0.0", "::", "10.1.2.3"] {
            #expect(throws: ConfigurationError.self) { try configuration(["HOST": host]).checkServing() }
        }
        do {
            try configuration(["HOST": "::", "SCHEDULER_API_TOKEN": ""]).checkServing()
            Issue.record("an empty token let the server bind ::")
        } catch {
            #expect(error.description.contains("SCHEDULER_API_TOKEN is set but empty"))
        }
        try configuration(["HOST": "0.0.0.0", "SCHEDULER_API_TOKEN": "t"]).checkServing()
        for host in ["127.0.0.1", "::1", "localhost"] { try configuration(["HOST": host]).checkServing() }
    }

    @Test("LOG_ATTEMPTS and DATABASE_CONNECT_TIMEOUT_MS are read and checked")
    func quietAttemptsAndTimeout() throws {
        let configuration = try configuration(["LOG_ATTEMPTS": "false", "DATABASE_CONNECT_TIMEOUT_MS": "2500"])
        #expect(!configuration.engine.logAttempts)
        #expect(configuration.databaseConnectTimeout == .milliseconds(2500))
        #expect(try self.configuration([:]).engine.logAttempts)
        #expect(throws: ConfigurationError.self) { try self.configuration(["LOG_ATTEMPTS": "maybe"]) }
    }

    @Test("DATABASE_POOL_MODE=transaction polls every second unless POLLING_INTERVAL_MS says otherwise; a bad mode is named")
    func poolMode() throws {
        #expect(try configuration([:]).databasePoolMode == .session)
        let transaction = try configuration(["DATABASE_POOL_MODE": "Transaction"])
        #expect(transaction.databasePoolMode == .transaction)
        #expect(transaction.engine.pollInterval == .seconds(1))
        #expect(try configuration(["DATABASE_POOL_MODE": "transaction", "POLLING_INTERVAL_MS": "250"]).engine.pollInterval
            == .milliseconds(250))
        do {
            _ = try configuration(["DATABASE_POOL_MODE": "statement"])
            Issue.record("an unknown pool mode was accepted")
        } catch {
            #expect(error.description.hasPrefix("DATABASE_POOL_MODE (--database-pool-mode) has the invalid value 'statement'"))
        }
    }

    @Test("environment variables set every value")
    func environment() throws {
        let configuration = try configuration([
            "DATABASE_URL": "postgres://u@h/db", "PORT": "9000", "POLLING_INTERVAL_MS": "250",
            "MAX_TASKS_PER_POLL": "50", "MAX_RETRIES": "5", "RETRY_BASE_DELAY_MS": "1000",
            "WORKER_CONCURRENCY": "4", "LEASE_SECONDS": "30", "SHUTDOWN_GRACE_MS": "0",
            "HANDLER_TIMEOUT_MS": "1500", "WORKER_ID": "w-1", "LOG_LEVEL": "DEBUG", "SCHEDULER_API_TOKEN": "s3cret",
        ])
        #expect(configuration.databaseURL == "postgres://u@h/db")
        #expect(configuration.port == 9000)
        #expect(configuration.maxRetries == 5)
        #expect(configuration.apiToken == "s3cret")
        #expect(configuration.logLevel == .debug)
        #expect(configuration.engine.pollInterval == .milliseconds(250))
        #expect(configuration.engine.batchSize == 50)
        #expect(configuration.engine.retryPolicy.baseDelay == .seconds(1))
        #expect(configuration.engine.concurrency == 4)
        #expect(configuration.engine.lease == .seconds(30))
        #expect(configuration.engine.rescueInterval == .seconds(15))
        #expect(configuration.engine.shutdownGrace == .zero)
        #expect(configuration.engine.handlerTimeout == .milliseconds(1500))
        #expect(configuration.engine.workerID == "w-1")
    }

    @Test("a short lease is looked after every half lease")
    func shortLease() throws {
        let configuration = try configuration(["LEASE_SECONDS": "4"])
        #expect(configuration.engine.rescueInterval == .seconds(2))
    }

    @Test("a bad value is an error naming the variable and its flag", arguments: [
        ("POLLING_INTERVAL_MS", "soon"), ("MAX_TASKS_PER_POLL", "0"), ("PORT", "70000"), ("LOG_LEVEL", "loud"),
        ("WORKER_CONCURRENCY", "-1"),
    ])
    func badValue(variable: String, value: String) {
        do {
            _ = try configuration([variable: value])
            Issue.record("\(variable)=\(value) was accepted")
        } catch {
            #expect(error.description.hasPrefix("\(variable) (--\(variable.lowercased().replacingOccurrences(of: "_", with: "-"))) has the invalid value '\(value)'"))
        }
    }

    @Test("an earlier provider (the flags) wins over the environment")
    func flagsWin() throws {
        let reader = ConfigReader(providers: [
            InMemoryProvider(values: [AbsoluteConfigKey(ConfigurationSetting.port.key): "7000"]),
            EnvironmentVariablesProvider(environmentVariables: ["PORT": "9000"]),
        ])
        #expect(try SchedulerConfiguration(reader: reader).port == 7000)
    }

    @Test("a PostgreSQL URL becomes a client configuration; a broken one is refused without its password")
    func postgresURL() throws {
        let url = try PostgresURL("postgres://app:pa%20ss@db.internal:6543/tasks?sslmode=disable")
        #expect(url.location == "PostgreSQL at db.internal:6543, database tasks, user app")
        let configuration = url.clientConfiguration
        #expect(configuration.host == "db.internal")
        #expect(configuration.port == 6543)
        #expect(configuration.username == "app")
        #expect(configuration.password == "pa ss")
        #expect(configuration.database == "tasks")
        do {
            _ = try PostgresURL("postgres://app:secret@/tasks")
            Issue.record("a URL without a host was accepted")
        } catch {
            #expect(!error.description.contains("secret"))
            #expect(error.description.hasPrefix("DATABASE_URL"))
        }
    }
}
