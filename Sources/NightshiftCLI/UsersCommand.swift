import ArgumentParser
import Dashboard
import Foundation
import Store
import Workflow
#if canImport(Glibc)
import Glibc
#endif

/// `nightshift users`: the dashboard's users. `admin` is the first (its hashes in `HOME/dashboard/admin.json`, created
/// at the dashboard's first start); the others live in the store with a role. Passwords come from a prompt or from
/// standard input, never from an argument (arguments show in `ps` and shell history).
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Manage dashboard users and their roles (viewer, operator, admin).",
        subcommands: [Add.self, List.self, Remove.self, Passwd.self])

    static let namePattern = "a lowercase letter, then up to 31 lowercase letters, digits, '.', '_' or '-'"

    static func validName(_ name: String) throws -> String {
        let ok = name.first.map { $0.isASCII && $0.isLowercase } == true && name.count <= 32
            && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || ".-_".contains($0)) }
        guard ok else { throw CLIError.usage("invalid user name '\(name)': use \(namePattern)") }
        return name
    }

    /// Exit 2 for a name that is not a user, naming the users there are.
    static func unknownUser(_ name: String, store: StateStore) async throws -> CLIError {
        let known = ["admin"] + (try await store.users().map(\.name))
        return CLIError.usage("unknown user '\(name)'; users: \(known.joined(separator: ", "))")
    }

    /// The new password: standard input's first line with `--password-stdin`, else typed twice at the terminal.
    static func readPassword(fromStandardInput: Bool, for user: String) throws -> String {
        let password: String
        if fromStandardInput {
            password = (readLine(strippingNewline: true) ?? "")
        } else {
            guard isatty(STDIN_FILENO) == 1 else {
                throw CLIError.usage("no terminal to ask for \(user)'s password on: pipe it in with --password-stdin")
            }
            guard let first = getpass("Password for \(user): ").map({ String(cString: $0) }),
                let second = getpass("Again: ").map({ String(cString: $0) })
            else { throw CLIError.failure("could not read a password from the terminal") }
            guard first == second else { throw CLIError.usage("the two passwords differ; nothing changed") }
            password = first
        }
        guard password.count >= 8 else { throw CLIError.usage("password too short for \(user): use at least 8 characters") }
        return password
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user with a role; the password is prompted for (or read with --password-stdin).")
        @OptionGroup var home: HomeOptions
        @Argument(help: "The user name (\(UsersCommand.namePattern)).") var name: String
        @Option(help: "viewer (reads everything behind the login), operator (also triggers, clears, marks, pauses) or admin.")
        var role: String
        @Flag(help: "Read the password from standard input's first line instead of prompting.") var passwordStdin = false

        func run() async throws {
            let name = try UsersCommand.validName(name)
            guard let role = UserRole(rawValue: role) else { throw CLIError.usage("invalid --role '\(role)': use viewer, operator or admin") }
            guard name != "admin" else {
                throw CLIError.usage("'admin' is the first user (HOME/dashboard/admin.json); change its password with `users passwd admin`")
            }
            let store = try home.openStore()
            if try await store.user(name) != nil { throw CLIError.usage("user '\(name)' exists; use `users passwd \(name)` or `users remove \(name)`") }
            let password = try UsersCommand.readPassword(fromStandardInput: passwordStdin, for: name)
            let now = Date()
            guard try await store.addUser(
                UserRecord(name: name, role: role, password: UserPasswords.hash(password), createdAt: now, updatedAt: now), actor: CLI.operatorActor)
            else { throw CLIError.usage("user '\(name)' exists") }
            print("added \(name) as \(role.rawValue)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The users and their roles.")
        @OptionGroup var home: HomeOptions
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let store = try home.openStore()
            let adminFile = home.resolved.root.appendingPathComponent("dashboard/admin.json")
            var rows: [(name: String, role: String, created: String)] = []
            if FileManager.default.fileExists(atPath: adminFile.path) {
                let created = (try? FileManager.default.attributesOfItem(atPath: adminFile.path)[.creationDate] as? Date) ?? nil
                rows.append(("admin", UserRole.admin.rawValue, created?.iso ?? "-"))
            }
            rows += try await store.users().map { ($0.name, $0.role.rawValue, $0.createdAt.iso) }
            if json {
                CLI.printJSON(.array(rows.map { .object(["name": .string($0.name), "role": .string($0.role), "created_at": .string($0.created)]) }))
            } else if rows.isEmpty {
                print("No users yet: the dashboard creates admin at its first start (nightshift serve or standalone).")
            } else {
                print(Table.render(["USER", "ROLE", "CREATED"], rows.map { [$0.name, $0.role, $0.created] }))
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user and end its sessions.")
        @OptionGroup var home: HomeOptions
        @Argument(help: "The user name.") var name: String

        func run() async throws {
            guard name != "admin" else { throw CLIError.usage("'admin' cannot be removed; change its password with `users passwd admin`") }
            let store = try home.openStore()
            guard try await store.removeUser(name, actor: CLI.operatorActor, now: Date()) else {
                throw try await UsersCommand.unknownUser(name, store: store)
            }
            print("removed \(name) and ended its sessions")
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password (admin's too) and end its sessions.")
        @OptionGroup var home: HomeOptions
        @Argument(help: "The user name.") var name: String
        @Flag(help: "Read the password from standard input's first line instead of prompting.") var passwordStdin = false

        func run() async throws {
            let store = try home.openStore()
            if name == "admin" {
                let directory = home.resolved.root.appendingPathComponent("dashboard")
                let file = directory.appendingPathComponent("admin.json")
                guard let data = FileManager.default.contents(atPath: file.path),
                    var credentials = try? JSONDecoder().decode(AdminCredentials.self, from: data)
                else { throw CLIError.failure("no admin credentials at \(file.path): start the dashboard once (nightshift serve) to create them") }
                let password = try UsersCommand.readPassword(fromStandardInput: passwordStdin, for: name)
                credentials.password = AdminCredentials.Digest.make(password, iterations: AdminCredentials.defaultIterations)
                do { try credentials.save(in: directory) } catch { throw CLIError.failure("cannot write \(file.path): \(error)") }
                try await store.removeSessions(user: "admin")
                _ = try await store.recordEvent(kind: "user_passwd", actor: CLI.operatorActor, detail: "admin")
                if CLI.environment["NIGHTSHIFT_ADMIN_PASSWORD"].map({ !$0.isEmpty }) == true {
                    FileHandle.standardError.write(Data("note: NIGHTSHIFT_ADMIN_PASSWORD is set here; a dashboard started with it replaces this password\n".utf8))
                }
            } else {
                guard try await store.user(name) != nil else {
                    throw try await UsersCommand.unknownUser(name, store: store)
                }
                let password = try UsersCommand.readPassword(fromStandardInput: passwordStdin, for: name)
                guard try await store.setPassword(user: name, password: UserPasswords.hash(password), actor: CLI.operatorActor, now: Date()) else {
                    throw try await UsersCommand.unknownUser(name, store: store)
                }
            }
            print("password of \(name) changed; its sessions ended")
        }
    }
}

extension CLI {
    /// Who ran a CLI command, for the audit trail: `cli:$USER`.
    static var operatorActor: String { "cli:" + (environment["USER"] ?? environment["LOGNAME"] ?? "unknown") }
}
