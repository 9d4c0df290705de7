using System.Diagnostics.CodeAnalysis;

namespace Gateway.Errors;

/// <summary>What a pipeline stage hands on: a value, or the <see cref="GatewayError"/> that stops the request.</summary>
internal readonly record struct Result<T>
{
    private Result(T? value, GatewayError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public GatewayError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsOk => Error is null;

    public static Result<T> Ok(T value) => new(value, null);

    public static Result<T> Fail(GatewayError error) => new(default, error);

    public static implicit operator Result<T>(T value) => Ok(value);

    public static implicit operator Result<T>(GatewayError error) => Fail(error);
}
