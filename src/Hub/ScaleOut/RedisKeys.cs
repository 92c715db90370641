namespace LiveHub.ScaleOut;

/// <summary>Every Redis key LiveHub uses is built here, under the deployment's prefix.</summary>
public sealed class RedisKeys(string prefix)
{
    public string DataProtection => $"{prefix}:dataprotection-keys";

    /// <summary>Sorted set of node ids scored by their last heartbeat (Unix ms).</summary>
    public string Nodes => $"{prefix}:nodes";

    /// <summary>Hash of session id to this node's audience count.</summary>
    public string Presence(string nodeId) => $"{prefix}:presence:{nodeId}";

    /// <summary>The channel a passcode rotation is told on ("{eventId}:{rotationId}"), and the one each node confirms it on.</summary>
    public string PasscodeRotated => $"{prefix}:passcode-rotated";

    public string PasscodeRotationConfirmed => $"{prefix}:passcode-rotated:confirmed";

    /// <summary>The canary channel health checks and tests publish on.</summary>
    public string Canary => $"{prefix}:canary";
}
