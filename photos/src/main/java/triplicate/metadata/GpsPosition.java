package triplicate.metadata;

/**
 * Where a photo was taken.
 *
 * @param latitude  degrees, -90 to 90, north positive
 * @param longitude degrees, -180 to 180, east positive
 * @param altitude  metres above sea level, or {@code null} when not recorded
 */
public record GpsPosition(double latitude, double longitude, Double altitude) {
    private static final double EARTH_RADIUS_KM = 6371.0088;

    public GpsPosition {
        if (!(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180)) {
            throw new IllegalArgumentException("not a position on Earth: " + latitude + ", " + longitude);
        }
        if (altitude != null && !Double.isFinite(altitude)) {
            throw new IllegalArgumentException("altitude must be finite: " + altitude);
        }
    }

    /** Great-circle distance in kilometres to another point (haversine, mean Earth radius). */
    public double distanceKm(double lat, double lon) {
        double p1 = Math.toRadians(latitude);
        double p2 = Math.toRadians(lat);
        double dp = p2 - p1;
        double dl = Math.toRadians(lon - longitude);
        double a = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
