import Foundation
import Testing

@testable import Workflow

/// Parses an ISO 8601 instant such as `2026-11-23T03:00:00Z`.
private func instant(_ text: String) throws -> Date {
    try Date(text, strategy: .iso8601)
}

/// The values of try 2 of `anime_nightly.train` at 2026-11-23T03:00:00Z.
private func sampleValues(params: [String: JSONValue] = TemplateTests.params, logicalDate: Date? = nil) throws -> TemplateValues {
    TemplateValues(
        dagID: "anime_nightly", runID: "scheduled__2026-11-23T03:00:00+00:00", taskID: "train", tryNumber: 2,
        logicalDate: try logicalDate ?? instant("2026-11-23T03:00:00Z"), params: params)
}

/// Renders `text`, failing the test on a template error.
private func render(_ text: String, params: [String: JSONValue] = TemplateTests.params) throws -> String {
    try Template.render(text, with: sampleValues(params: params))
}

/// The error rendering `text` throws; records an issue when it throws none.
private func renderError(
    _ text: String, params: [String: JSONValue] = TemplateTests.params, sourceLocation: SourceLocation = #_sourceLocation
) throws -> TemplateError? {
    let values = try sampleValues(params: params)
    return #expect(throws: TemplateError.self, sourceLocation: sourceLocation) { try Template.render(text, with: values) }
}

@Suite("Templates")
struct TemplateTests {
    static let params: [String: JSONValue] = [
        "model": "lstm", "epochs": 20, "lr": 0.5, "negative": -3, "warm": true, "cold": false, "big": 1_000_000,
    ]

    @Test(arguments: [
        ("{{ ds }}", "2026-11-23"),
        ("{{ ts }}", "2026-11-23T03:00:00+00:00"),
        ("{{ run_id }}", "scheduled__2026-11-23T03:00:00+00:00"),
        ("{{ dag_id }}", "anime_nightly"),
        ("{{ task_id }}", "train"),
        ("{{ try_number }}", "2"),
    ])
    func builtinRenders(_ text: String, _ expected: String) throws {
        #expect(try render(text) == expected)
    }

    @Test
    func builtinNamesAreExactlyTheDocumentedSix() throws {
        #expect(Template.builtinNames == ["ds", "ts", "run_id", "dag_id", "task_id", "try_number"])
        #expect(Set(try sampleValues().builtins.keys) == Set(Template.builtinNames))
    }

    @Test(arguments: [
        // 23:30 in New York is already the next day in UTC.
        ("2026-11-23T23:30:00-05:00", "2026-11-24", "2026-11-24T04:30:00+00:00"),
        // 01:15 in Tokyo is still the previous day in UTC.
        ("2026-11-24T01:15:00+09:00", "2026-11-23", "2026-11-23T16:15:00+00:00"),
        ("2026-12-31T23:59:59Z", "2026-12-31", "2026-12-31T23:59:59+00:00"),
        ("2028-02-29T00:00:00Z", "2028-02-29", "2028-02-29T00:00:00+00:00"),
    ])
    func dateStampsAreUTC(_ date: String, _ ds: String, _ ts: String) throws {
        let values = try sampleValues(logicalDate: instant(date))
        #expect(try Template.render("{{ ds }}", with: values) == ds)
        #expect(try Template.render("{{ ts }}", with: values) == ts)
    }

    @Test
    func fractionalSecondsAreTruncatedNotRounded() throws {
        let lastMoment = try instant("2026-12-31T23:59:59Z").addingTimeInterval(0.9999)
        #expect(Template.dateStamp(lastMoment) == "2026-12-31")
        #expect(Template.timestamp(lastMoment) == "2026-12-31T23:59:59+00:00")
    }

    @Test(arguments: [
        ("{{ params.model }}", "lstm"),
        ("{{ params.epochs }}", "20"),
        ("{{ params.big }}", "1000000"),
        ("{{ params.negative }}", "-3"),
        ("{{ params.lr }}", "0.5"),
        ("{{ params.warm }}", "true"),
        ("{{ params.cold }}", "false"),
        ("--epochs={{params.epochs}} --lr={{ params.lr }}", "--epochs=20 --lr=0.5"),
    ])
    func paramRenders(_ text: String, _ expected: String) throws {
        #expect(try render(text) == expected)
    }

    @Test(arguments: ["{{ds}}", "{{ ds }}", "{{   ds}}", "{{ds   }}", "{{\tds\t}}"])
    func whitespaceInsideBracesIsIgnored(_ text: String) throws {
        #expect(try render(text) == "2026-11-23")
    }

    @Test
    func textAroundPlaceholdersIsKept() throws {
        #expect(
            try render("python3 train.py --date {{ ds }} --try={{try_number}} --model {{ params.model }}.")
                == "python3 train.py --date 2026-11-23 --try=2 --model lstm.")
        #expect(try render("{{ ds }}{{ ds }}") == "2026-11-232026-11-23")
        #expect(try render("no placeholders { ds } }} here") == "no placeholders { ds } }} here")
        #expect(try render("") == "")
    }

    @Test(arguments: ["{{ nope }}", "{{ DS }}", "{{ params }}", "{{ }}"])
    func unknownNameIsAnError(_ text: String) throws {
        let template = "echo " + text
        let error = try #require(try renderError(template))
        let name = text.dropFirst(2).dropLast(2).trimmingCharacters(in: .whitespaces)
        #expect(error == TemplateError(template: template, placeholder: name, reason: .unknownName))
        #expect(
            error.description
                == "unknown placeholder '{{ \(name) }}' in '\(template)'; known: ds, ts, run_id, dag_id, task_id, try_number, params.NAME")
    }

    @Test
    func unknownParamListsTheKnownParams() throws {
        let error = try #require(try renderError("--model {{ params.modle }}", params: ["model": "gan", "epochs": 3]))
        #expect(error.reason == .unknownParam(known: ["epochs", "model"]))
        #expect(error.placeholder == "params.modle")
        #expect(
            error.description
                == "unknown param in placeholder '{{ params.modle }}' in '--model {{ params.modle }}'; params: epochs, model")
    }

    @Test
    func unknownParamWithNoParamsSaysNone() throws {
        let error = try #require(try renderError("{{ params.model }}", params: [:]))
        #expect(error.description == "unknown param in placeholder '{{ params.model }}' in '{{ params.model }}'; params: (none)")
    }

    @Test(arguments: [
        ("echo {{ ds", "{{ ds"),
        ("{{ ds }} then {{ ts", "{{ ts"),
        ("{{", "{{"),
    ])
    func unclosedPlaceholderIsAnError(_ text: String, _ placeholder: String) throws {
        let error = try #require(try renderError(text))
        #expect(error == TemplateError(template: text, placeholder: placeholder, reason: .unclosed))
        #expect(error.description == "unclosed placeholder '\(placeholder)' in '\(text)'")
    }

    @Test
    func placeholdersAreListedInOrder() {
        #expect(Template.placeholders(in: "a {{ ds }} b {{params.x}} {{ts}} {{ nope") == ["ds", "params.x", "ts"])
        #expect(Template.placeholders(in: "plain") == [])
    }

    // MARK: ShellCommand

    @Test
    func shellCommandRendersArgvEnvironmentAndWorkingDirectory() throws {
        let command = ShellCommand(
            argv: ["python3", "train.py", "--date={{ ds }}", "{{ params.model }}"],
            environment: ["RUN": "{{ run_id }}", "TRY": "try-{{try_number}}", "PLAIN": "x"],
            workingDirectory: "/data/{{ dag_id }}/{{ ds }}")
        let rendered = try command.rendered(with: sampleValues())
        #expect(rendered.argv == ["python3", "train.py", "--date=2026-11-23", "lstm"])
        #expect(rendered.environment == ["RUN": "scheduled__2026-11-23T03:00:00+00:00", "TRY": "try-2", "PLAIN": "x"])
        #expect(rendered.workingDirectory == "/data/anime_nightly/2026-11-23")
        // The command itself is unchanged.
        #expect(command.argv[2] == "--date={{ ds }}")
    }

    @Test
    func scriptRunsThroughShAndKeepsNilWorkingDirectory() throws {
        let rendered = try ShellCommand(script: "echo {{ task_id }} {{ params.epochs }}").rendered(with: sampleValues())
        #expect(rendered == ShellCommand(argv: ["/bin/sh", "-c", "echo train 20"]))
        #expect(rendered.workingDirectory == nil)
    }

    @Test(arguments: [
        ShellCommand(argv: ["echo", "{{ nope }}"]),
        ShellCommand(argv: ["echo"], environment: ["X": "{{ nope }}"]),
        ShellCommand(argv: ["echo"], workingDirectory: "/tmp/{{ nope }}"),
    ])
    func shellCommandPropagatesTemplateErrors(_ command: ShellCommand) throws {
        let values = try sampleValues()
        let error = #expect(throws: TemplateError.self) { try command.rendered(with: values) }
        #expect(error?.placeholder == "nope")
        #expect(error?.reason == .unknownName)
    }

    // MARK: params

    @Test
    func runConfOverridesParamDefaults() {
        let dag = DAG("p", params: ["model": "lstm", "epochs": 20]) { TaskDefinition("a") { _ in } }
        #expect(dag.mergedParams(conf: ["epochs": 5, "seed": "42"]) == ["model": "lstm", "epochs": 5, "seed": "42"])
        #expect(dag.mergedParams(conf: [:]) == ["model": "lstm", "epochs": 20])
    }
}
