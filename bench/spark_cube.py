"""The cube in Spark: runs `attrition cube --engine spark` on a case file in PySpark local mode.

    bash bench/spark-cube [CASES]      # sets up .bench/spark-venv (PyPI pyspark; Debian's OpenJDK)

Reads the case file as a Spark table (every column as text), runs the SQL attrition printed,
writes the cube as one CSV, and prints rows and cases. Spark is never a dependency of attrition.
"""
import glob
import shutil
import sys
import time

from pyspark.sql import SparkSession

source, sql_path, out = sys.argv[1], sys.argv[2], sys.argv[3]
spark = SparkSession.builder.master("local[*]").appName("attrition-cube").getOrCreate()
spark.sparkContext.setLogLevel("ERROR")
start = time.time()
spark.read.option("header", True).option("inferSchema", False).csv(source).createOrReplaceTempView("cases")
statement = "\n".join(line for line in open(sql_path) if not line.startswith("--"))
cube = spark.sql(statement)
tmp = out + ".parts"
cube.coalesce(1).write.mode("overwrite").option("header", True).csv(tmp)
shutil.move(glob.glob(tmp + "/part-*.csv")[0], out)
shutil.rmtree(tmp)
rows = spark.read.option("header", True).csv(out)
print(f"spark.version={spark.version}")
print(f"spark.cube_rows={rows.count()}")
print(f"spark.cube_cases={rows.selectExpr('sum(CAST(count AS BIGINT))').first()[0]}")
print(f"spark.seconds={time.time() - start:.1f}")
spark.stop()
