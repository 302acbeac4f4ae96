import Foundation
import Testing

@testable import Workflow

/// Typed params: the type a default implies, each rule's sentence, declarations validation refuses.
@Suite struct ParamTests {
    static let dag = DAG(
        "typed", params: [
            "rows": Param(100, minimum: 1, maximum: 1000, description: "rows"), "ratio": 0.5, "region": Param("eu", oneOf: ["eu", "us"]),
            "dry": false, "tags": ["a"], "extra": ["k": 1], "anything": nil, "name": "x",
        ]
    ) { TaskDefinition("t") { _ in } }

    @Test func aDefaultImpliesItsType() {
        #expect(Self.dag.paramSpecs.mapValues(\.type) == [
            "rows": .integer, "ratio": .number, "region": .string, "dry": .boolean, "tags": .array, "extra": .object, "anything": .any,
            "name": .string,
        ])
        #expect(Self.dag.params["rows"] == 100, "params keeps the defaults")
    }

    @Test(arguments: [
        (["rows": "abc"], #"param 'rows' must be an integer, got string "abc""#),
        (["rows": 2.5], "param 'rows' must be an integer, got number 2.5"),
        (["rows": 0], "param 'rows' must be at least 1, got 0"),
        (["rows": 1001], "param 'rows' must be at most 1000, got 1001"),
        (["ratio": true], "param 'ratio' must be a number, got boolean true"),
        (["region": "mars"], #"param 'region' must be one of "eu", "us", got "mars""#),
        (["dry": "yes"], #"param 'dry' must be a boolean, got string "yes""#),
        (["tags": .object([:])], "param 'tags' must be an array, got object {}"),
        (["extra": .null], "param 'extra' must be an object, got null"),
        (["name": 5], "param 'name' must be a string, got number 5"),
        (["nope": 1], "DAG 'typed' has no param 'nope'; params: anything, dry, extra, name, ratio, region, rows, tags"),
    ] as [([String: JSONValue], String)])
    func aWrongValueIsNamedWithWhatWasExpected(_ conf: [String: JSONValue], _ message: String) {
        #expect(throws: ParamError(param: conf.keys.first!, description: message)) { try Self.dag.validate(conf: conf) }
    }

    @Test func rightValuesPass() throws {
        try Self.dag.validate(conf: ["rows": 1000, "ratio": 2, "region": "us", "dry": true, "tags": .array([]), "extra": .object([:]), "anything": 5])
        try Self.dag.validate(conf: [:])
    }

    @Test(arguments: [
        (Param(0, minimum: 1), "param 'p' = 0: its default does not fit: param 'p' must be at least 1, got 0"),
        (Param(3, minimum: 5, maximum: 1), "param 'p' = 3: minimum 5 is above maximum 1"),
        (Param("a", minimum: 1), #"param 'p' = "a": minimum and maximum apply to numbers, and the param is a string"#),
        (Param("a", oneOf: ["b", 1]), #"param 'p' = "a": its allowed value 1 is not a string"#),
        (Param("a", oneOf: ["b", "c"]), #"param 'p' = "a": its default does not fit: param 'p' must be one of "b", "c", got "a""#),
        (Param(1.5, type: .integer), "param 'p' = 1.5: its default does not fit: param 'p' must be an integer, got number 1.5"),
    ])
    func aDeclarationThatBreaksItsOwnRulesIsRefused(_ param: Param, _ message: String) throws {
        let dag = DAG("bad_params", params: ["p": param]) { TaskDefinition("t") { _ in } }
        let error = #expect(throws: WorkflowError.self) { try dag.validate() }
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
    }

    @Test func summariesDescribeTheRules() {
        #expect(Self.dag.paramSpecs["rows"]?.summary == "integer, 1 to 1000")
        #expect(Self.dag.paramSpecs["region"]?.summary == #"string, one of "eu", "us""#)
        #expect(Param(1, minimum: 0).summary == "integer, at least 0")
    }
}
