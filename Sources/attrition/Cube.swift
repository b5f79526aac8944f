import ArgumentParser
import AttritionCore
import Foundation

/// `attrition cube`: the SQL that reduces a case table held in another engine to a weighted case file.
struct Cube: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the SQL that turns a case table in DuckDB, Spark or PostgreSQL into a cube attrition opens.",
        discussion: """
        For national or multi-year data that lives in a database or a data lake: run the SQL where the \
        data is, and open the result (a case file with a count column, one row per report month, \
        dimension values, stages reached and outcome) here. Every funnel, breakdown, reason and rate \
        is the same as from the case table itself; timing, survival and the case list need each \
        case's own dates and say a cube cannot answer them (docs/cube.md).

        The table needs the contract's column names (case_id, reported_date, crime_type, bcu or \
        borough, ...); --columns names the ones it has when it lacks some.

        Examples:
          attrition cube --engine duckdb --table cases --out cube.csv > cube.sql && duckdb db.duckdb < cube.sql
          attrition cube --engine postgres --table vawg.cases > cube.sql && psql -f cube.sql
          attrition cube --engine spark --table cases > cube.sql
        """
    )

    @Option(help: "The engine: \(CubeEngine.allCases.map(\.rawValue).joined(separator: ", ")).") var engine: CubeEngine
    @Option(help: "The engine's table (or view) of cases, SCHEMA.TABLE allowed, with the contract's column names.") var table = "cases"
    @Option(help: ArgumentHelp("The contract's columns the table has, comma-separated (default: all but count, which a table of pre-aggregated rows adds).", valueName: "NAMES"))
    var columns: String?
    @Option(help: "The CSV file DuckDB or PostgreSQL writes the cube to (Spark's result is written by the caller).") var out = "cube.csv"

    func validate() throws {
        for (option, value) in [("--table", table), ("--out", out)] where value.unicodeScalars.contains(where: DisplayText.isControl) {
            throw ValidationError("\(option) holds a line end or another control character; give a plain name")
        }
    }

    func run() throws {
        try reportingFailures {
            var chosen: Set<KnownColumn>?
            if let columns {
                chosen = Set(try columns.split(separator: ",").map { name in
                    let trimmed = name.trimmingCharacters(in: .whitespaces).lowercased()
                    guard let column = KnownColumn(name: trimmed) else {
                        throw QueryError.unknownValue(trimmed, dimension: "column", known: KnownColumn.allCases.map(\.name))
                    }
                    return column
                })
            }
            FileHandle.standardOutput.write(Data(CubeQuery(engine: engine, table: table, columns: chosen, output: out).sql.utf8))
        }
    }
}

extension CubeEngine: ExpressibleByArgument {}
