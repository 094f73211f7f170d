// An in-memory DuckDB table `o (i INTEGER, origin VARCHAR)` holding the values in order, plus one
// NULL row at index values.length: the shape every SQL differential on DuckDB queries.
type Duck = typeof import('@duckdb/node-api');

export async function duckOriginTable(duck: Duck, values: readonly string[]) {
  const conn = await (await duck.DuckDBInstance.create(':memory:')).connect();
  await conn.run('CREATE TABLE o (i INTEGER, origin VARCHAR)');
  const appender = await conn.createAppender('o');
  values.forEach((v, i) => {
    appender.appendInteger(i);
    appender.appendVarchar(v);
    appender.endRow();
  });
  appender.appendInteger(values.length);
  appender.appendNull();
  appender.endRow();
  appender.closeSync();
  return conn;
}
