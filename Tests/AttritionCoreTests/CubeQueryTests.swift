@testable import AttritionCore
import Foundation
import Testing

/// The cube SQL, run by DuckDB on the sample, gives a weighted case file whose every breakdown and
/// reason table equals the raw file's; views that need per-case dates refuse it plainly.
@Suite struct CubeQueryTests {
    /// A Python with DuckDB (from PyPI, for tests only): ATTRITION_DUCKDB_PYTHON (set by .ci/run),
    /// else one made once under .build/test-tools.
    static func duckdbPython() throws -> String {
        if let named = ProcessInfo.processInfo.environment["ATTRITION_DUCKDB_PYTHON"], !named.isEmpty { return named }
        let venv = repositoryRoot.appendingPathComponent(".build/test-tools/duckdb").path
        let python = venv + "/bin/python"
        if try run(python, ["-c", "import duckdb"]) == 0 { return python }
        guard try run("/usr/bin/env", ["python3", "-m", "venv", venv]) == 0,
              try run(venv + "/bin/pip", ["install", "--quiet", "duckdb"]) == 0 else {
            throw CubeTestError("could not install DuckDB from PyPI into \(venv) (it is needed to run the cube SQL)")
        }
        return python
    }

    struct CubeTestError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    @discardableResult
    static func run(_ program: String, _ arguments: [String]) throws -> Int32 {
        guard FileManager.default.isExecutableFile(atPath: program) else { return 127 }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func theDuckDBCubeGivesTheRawFilesFiguresInEveryBreakdown() throws {
        let folder = TemporaryFolder()
        let raw = folder.file("raw.csv"), cube = folder.file("cube.csv"), sql = folder.file("cube.sql")
        var text = String(decoding: SampleGenerator.bytes(SampleSpec(cases: 6000, seed: 12)), as: UTF8.self)
        // Rows attrition refuses or reads with a warning must be treated the same way by the SQL.
        text += "X1,not a date,Rape,North East,,,,,,,,,,,,,,\nX2,2024-02-30,Rape,North East,,,,,,,,,,,,,,\n"
            + "X3,2024-03-03,,North East,,,,,,,,,,,,,,\n,2024-03-03,Rape,North East,,,,,,,,,,,,,,\n"
            + "X4,4/3/2024,rape ,,Camden,F,130,,y,,n,5/3/2024,2024-02-31,,,Charged/Summonsed,,\n"
            + "X5,2024-04-04,Stalking,South,,Female,18 - 24,,,,,,,,,16,,\n"
        FileManager.default.createFile(atPath: raw, contents: Data(text.utf8))
        try CubeQuery(engine: .duckdb, table: "cases", output: cube).sql.write(toFile: sql, atomically: true, encoding: .utf8)
        let script = """
            import duckdb, sys
            con = duckdb.connect()
            con.execute("CREATE TABLE cases AS SELECT * FROM read_csv(?, header = true, all_varchar = true)", [sys.argv[1]])
            con.execute(open(sys.argv[2]).read())
            """
        #expect(try Self.run(try Self.duckdbPython(), ["-c", script, raw, sql]) == 0)
        let original = try CaseSource.detect(path: raw).load(), reduced = try CaseSource.detect(path: cube).load()
        #expect(reduced.table.isCube && !original.table.isCube)
        #expect(reduced.table.rowCount < original.table.rowCount && reduced.table.caseCount == original.table.caseCount)
        for dimension in original.table.dimensions.map(\.name) {
            for basis in [RateBasis.all, .closed] {
                let a = try FunnelAnalysis.funnel(of: original.table, by: original.table.requireDimension(dimension), basis: basis)
                let b = try FunnelAnalysis.funnel(of: reduced.table, by: reduced.table.requireDimension(dimension), basis: basis)
                #expect(a.groups.map(\.name) == b.groups.map(\.name), "\(dimension)")
                #expect(a.groups.map(\.counts) == b.groups.map(\.counts), "\(dimension)")
                #expect(a.groups.map { $0.steps.map(\.step) } == b.groups.map { $0.steps.map(\.step) }, "\(dimension) \(basis)")
            }
        }
        let reasons = AnalysisQuery(view: .reasons, dimension: "crime_type")
        #expect(try reasons.table(of: reduced.table).rows.count == (try reasons.table(of: original.table).rows.count))
        // What needs each case's own dates says plainly that a cube cannot answer it.
        for view in [AnalysisView.timing, .survival] {
            #expect(throws: QueryError.self) { try AnalysisQuery(view: view, dimension: "bcu").analysis(of: reduced.table) }
        }
        #expect((try? AnalysisQuery(view: .timing, dimension: "bcu").analysis(of: original.table)) != nil)
    }

    @Test func everyEngineGetsItsOwnDialect() {
        let duck = CubeQuery(engine: .duckdb).sql, spark = CubeQuery(engine: .spark).sql, postgres = CubeQuery(engine: .postgres).sql
        #expect(duck.contains("COPY (") && duck.contains("TRY_STRPTIME") && duck.contains("FROM \"cases\""))
        #expect(spark.contains("try_to_timestamp") && spark.contains("AS STRING") && spark.contains("FROM `cases`") && !spark.contains("COPY"))
        #expect(postgres.hasPrefix("--") && postgres.contains("\\copy (") && postgres.contains("to_date"))
        // \copy takes one line.
        #expect(postgres.split(separator: "\n").filter { $0.hasPrefix("\\copy") }.count == 1)
        #expect(!CubeQuery(engine: .duckdb, columns: [.caseId, .reportedDate, .crimeType, .bcu]).sql.contains("victim_age"))
        #expect(CubeQuery(engine: .duckdb, columns: [.caseId, .reportedDate, .crimeType, .bcu, .count]).sql.contains("\"count\""))
        // A schema-qualified table is two identifiers.
        #expect(CubeQuery(engine: .postgres, table: "vawg.cases").sql.contains("FROM \"vawg\".\"cases\""))
        #expect(CubeQuery(engine: .spark, table: "lake.cases").sql.contains("FROM `lake`.`cases`"))
    }
}
