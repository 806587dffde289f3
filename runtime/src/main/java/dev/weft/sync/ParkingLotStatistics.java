package dev.weft.sync;

/**
 * A snapshot of a {@link ParkingLot}, for debugging and tests.
 *
 * @param tasksWaiting how many tasks are parked in the lot
 */
public record ParkingLotStatistics(int tasksWaiting) {
}
