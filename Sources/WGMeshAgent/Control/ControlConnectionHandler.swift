internal import NIOCore

/// One control connection: collects the request line, answers it once, closes.
///
/// The command runs as a task of its own, so a slow one (a rotation writes to the datastore)
/// holds only its own connection; the event loop goes on serving everyone else.
final class ControlConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let handlers: ControlHandlers
    private let counter: ConnectionCounter
    private var request: [UInt8] = []
    private var counted = false
    /// Set once the request is complete (or refused): later bytes are ignored.
    private var answered = false

    init(handlers: ControlHandlers, counter: ConnectionCounter) {
        self.handlers = handlers
        self.counter = counter
    }

    func channelActive(context: ChannelHandlerContext) {
        counted = counter.enter()
        if !counted {
            answer(.failure(ControlError(.busy, "wgmeshd is serving \(counter.limit) control connections at once: "
                + "try again in a moment")), context: context)
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if counted { counter.leave() }
        counted = false
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }
        var buffer = unwrapInboundIn(data)
        guard let bytes = buffer.readBytes(length: buffer.readableBytes) else { return }
        if let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
            request += bytes[..<newline]
            complete(context: context)
        } else {
            request += bytes
            if request.count > ControlRequest.lineLimit {
                answer(.failure(ControlError(.tooLong, "a request line is at most \(ControlRequest.lineLimit) bytes: "
                    + "send {\"request\":\"NAME\"} and a newline")), context: context)
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case ChannelEvent.inputClosed:
            // The client shut down its write side: answer what it sent, if anything.
            if !answered, !request.isEmpty { complete(context: context) } else if !answered { context.close(promise: nil) }
        case is IdleStateHandler.IdleStateEvent where !answered:
            // Silent too long: nobody to answer.
            answered = true
            context.close(promise: nil)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Runs the request's command off the event loop, then writes the reply.
    private func complete(context: ChannelHandlerContext) {
        guard !answered else { return }
        answered = true
        var line = request
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        let command: ControlHandlers.Command
        switch handlers.answer(to: line) {
        case .now(let reply):
            write(reply, context: context)
            return
        case .later(let later):
            command = later
        }
        let loop = context.eventLoop
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: loop)
        let replied = loop.makeFutureWithTask { await command() }
        replied.whenSuccess { reply in bound.value.handler.write(reply, context: bound.value.context) }
    }

    /// Answers at once (refusals made on the event loop).
    private func answer(_ reply: ControlReply, context: ChannelHandlerContext) {
        answered = true
        write(reply, context: context)
    }

    private func write(_ reply: ControlReply, context: ChannelHandlerContext) {
        let bytes = reply.line
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in bound.value.close(promise: nil) }
    }
}
