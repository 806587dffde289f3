package dev.weft.channel;

/**
 * A snapshot of a memory channel, for debugging and tests; the same whichever end it is
 * asked of.
 *
 * @param currentBufferUsed how many values wait in the buffer
 * @param maxBufferSize the capacity given to {@link MemoryChannel#open(int)};
 *     {@link Integer#MAX_VALUE} for an unbounded channel
 * @param openSendChannels how many send ends (the first one and its copies) are open
 * @param openReceiveChannels how many receive ends are open
 * @param tasksWaitingSend how many tasks are blocked in {@code send}, through any end
 * @param tasksWaitingReceive how many tasks are blocked in {@code receive} or
 *     {@code receiveOrNull}, through any end
 * @param peakBufferUsed the most values the buffer has held at once since the channel opened
 */
public record MemoryChannelStatistics(int currentBufferUsed, int maxBufferSize, int openSendChannels,
        int openReceiveChannels, int tasksWaitingSend, int tasksWaitingReceive, int peakBufferUsed) {
}
