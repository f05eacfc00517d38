package dev.graft.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graft.model.HostArray;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HalfFloatTest {
    @Test
    void everyHalfSurvivesWideningAndNarrowing() {
        for (int bits = 0; bits <= 0xffff; bits++) {
            short h = (short) bits;
            assertEquals(h, HalfFloat.fromFloat(HalfFloat.toFloat(h)), () -> "half bits " + Integer.toHexString(h & 0xffff));
        }
    }

    @Test
    void wideningGivesTheExactValue() {
        assertEquals(1f, HalfFloat.toFloat((short) 0x3c00));
        assertEquals(-2f, HalfFloat.toFloat((short) 0xc000));
        assertEquals(65504f, HalfFloat.toFloat((short) 0x7bff));
        assertEquals(0x1p-24f, HalfFloat.toFloat((short) 0x0001));
        assertEquals(0x1p-14f, HalfFloat.toFloat((short) 0x0400));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(HalfFloat.toFloat((short) 0x8000)));
        assertEquals(Float.POSITIVE_INFINITY, HalfFloat.toFloat((short) 0x7c00));
    }

    @Test
    void narrowingRoundsLikeNumPy() {
        // float32 values and NumPy's astype(float16) of them: random, subnormal, ties, overflow.
        Map<String, HostArray> rounding = NpzFile.read(Fixtures.path("npz/half_rounding.npz"));
        float[] f32 = rounding.get("f32").floatData();
        float[] f16 = rounding.get("f16").floatData();
        assertEquals(515, f32.length);
        for (int i = 0; i < f32.length; i++) {
            float x = f32[i];
            assertEquals(Float.floatToRawIntBits(f16[i]), Float.floatToRawIntBits(HalfFloat.toFloat(HalfFloat.fromFloat(x))),
                    () -> "float32 " + x);
        }
    }
}
