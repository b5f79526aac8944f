// Reads one CSV file with each parser and reports records, fields and seconds.
import AttritionCore
import CSV
import Foundation
import SwiftCSV

let path = CommandLine.arguments[1]
let parser = CommandLine.arguments[2]
let start = DispatchTime.now().uptimeNanoseconds
var records = 0, fieldBytes = 0
switch parser {
case "attrition":
    let scanner = CSVScanner(source: try FileByteSource(path: path))
    while try scanner.next() {
        records += 1
        for field in scanner.fields { fieldBytes += field.count }
    }
case "swiftcsv":
    let csv = try SwiftCSV.CSV<Enumerated>(url: URL(fileURLWithPath: path), loadColumns: false)
    for row in csv.rows {
        records += 1
        for field in row { fieldBytes += field.utf8.count }
    }
    records += 1
case "csv.swift":
    let reader = try CSVReader(stream: InputStream(fileAtPath: path)!)
    while let row = reader.next() {
        records += 1
        for field in row { fieldBytes += field.utf8.count }
    }
default:
    fatalError("parser: attrition, swiftcsv or csv.swift")
}
let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
print("\(parser): \(records) records, \(fieldBytes) field bytes, \(String(format: "%.2f", seconds)) s")
