using System.Data.Common;

namespace LiveHub.Data;

/// <summary>
/// A statement run many times in one transaction (a batch of grouped writes): the command is created and its statement parsed
/// once, and each run only sets its parameters. Parameters are named in the SQL as <c>@name</c>.
/// </summary>
internal sealed class BatchCommand : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly Dictionary<string, DbParameter> _parameters = new(StringComparer.Ordinal);

    public BatchCommand(DbConnection connection, DbTransaction tx, string sql, params string[] parameterNames)
    {
        _command = connection.CreateCommand();
        _command.Transaction = tx;
        _command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            var parameter = _command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = DBNull.Value;
            _command.Parameters.Add(parameter);
            _parameters[name] = parameter;
        }
    }

    public BatchCommand Set(string name, object? value)
    {
        _parameters[name].Value = value ?? DBNull.Value;
        return this;
    }

    public Task<int> ExecuteAsync(CancellationToken ct) => _command.ExecuteNonQueryAsync(ct);

    public async Task<long?> ScalarInt64Async(CancellationToken ct) =>
        await _command.ExecuteScalarAsync(ct) is { } value and not DBNull ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    public Task<DbDataReader> ReaderAsync(CancellationToken ct) => _command.ExecuteReaderAsync(ct);

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
