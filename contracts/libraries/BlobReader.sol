// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BlobOpeningCountMismatch, BlobOpeningInvalid, BlobOpeningOutOfRange} from "./Errors.sol";

/// @notice A KZG opening of one field element of a blob: `value` is the blob's element, proven
///         by the point-evaluation precompile (EIP-4844, address 0x0a) against the commitment
///         whose versioned hash the batch recorded.
/// @custom:field commitment The blob's KZG commitment, 48 bytes.
/// @custom:field value      The field element, big-endian (y = p(z) for z the element's root of unity).
/// @custom:field proof      The KZG proof of p(z) = y, 48 bytes.
struct ElementOpening {
    bytes commitment;
    bytes32 value;
    bytes proof;
}

/// @notice What a one-step proof over a blob batch reads of the blobs: the stream header and the
///         field elements that hold the disputed op (docs/protocol.md §9).
/// @custom:field blobHashes The batch's versioned hashes in order; keccak256 of their
///                          concatenation is the header's dataHash.
/// @custom:field header     Element 0 of blob 0 (version, payload length, reserved bytes).
/// @custom:field elements   The consecutive elements from the one holding the op's first byte
///                          to the one holding its last (core/blob.ts opElementRange).
struct BlobOpenings {
    bytes32[] blobHashes;
    ElementOpening header;
    ElementOpening[] elements;
}

/// @title BlobReader
/// @notice Reads one L2 op of a blob batch on L1, where the blobs themselves are not readable,
///         from KZG openings of the field elements that hold it (docs/protocol.md §9).
///
///         A blob is the polynomial p with p(ω^brp(i)) = element i, ω a primitive 4096th root
///         of unity of BLS12-381's scalar field and brp the 12-bit bit reversal (the EIP-4844
///         evaluation form). The precompile at 0x0a checks, for a versioned hash, a point z, a
///         value y, a commitment and a proof, that the commitment has that versioned hash and
///         p(z) = y; with z = ω^brp(i), y is element i.
///
///         Each element carries 31 stream bytes (its low 31 bytes; the first byte is ignored),
///         so an op of recordSize bytes at stream offset 31 + k·recordSize spans 3 or 4 elements
///         (76-byte records). The stream header is element 0 of blob 0.
library BlobReader {
    /// @dev The point-evaluation precompile (EIP-4844).
    address internal constant POINT_EVALUATION = address(0x0a);

    /// @dev BLS12-381 scalar field modulus.
    uint256 internal constant BLS_MODULUS = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001;

    /// @dev 7^((BLS_MODULUS − 1) / 4096): the primitive 4096th root of unity of EIP-4844.
    uint256 internal constant ROOT_OF_UNITY = 0x564c0a11a0f704f4fc3e8acfe0f8245f0ad1347b378fbf96e206da11a5d36306;

    /// @dev Field elements per blob.
    uint256 internal constant ELEMENTS_PER_BLOB = 4096;

    /// @dev Stream bytes per field element.
    uint256 internal constant DATA_BYTES = 31;

    /// @dev Bytes of the stream header; the payload starts right after it.
    uint256 internal constant HEADER_BYTES = 31;

    /// @dev The encoding version this reader reads.
    uint256 internal constant ENCODING_VERSION = 0;

    /// @notice The evaluation point of element `element` of a blob: ω^brp(element).
    /// @param element The element, below 4096.
    /// @return z The point.
    function evaluationPoint(uint256 element) internal pure returns (uint256 z) {
        uint256 reversed;
        for (uint256 bit; bit < 12; ++bit) {
            reversed = (reversed << 1) | ((element >> bit) & 1);
        }
        z = 1;
        uint256 base = ROOT_OF_UNITY;
        while (reversed != 0) {
            if (reversed & 1 == 1) z = mulmod(z, base, BLS_MODULUS);
            base = mulmod(base, base, BLS_MODULUS);
            reversed >>= 1;
        }
    }

    /// @notice Checks an opening of element `element` of the blob with versioned hash `blobHash`
    ///         through the point-evaluation precompile; reverts `BlobOpeningInvalid` otherwise.
    /// @param blobHash  The blob's versioned hash.
    /// @param blobIndex The blob's position in the batch (for the error).
    /// @param element   The element, below 4096.
    /// @param opening   The opening.
    function verify(bytes32 blobHash, uint256 blobIndex, uint256 element, ElementOpening calldata opening) internal view {
        bytes memory input =
            abi.encodePacked(blobHash, evaluationPoint(element), opening.value, opening.commitment, opening.proof);
        // SAFETY: the precompile fails on any input but 192 bytes, on a commitment whose
        // versioned hash is not blobHash, on a non-canonical y and on a wrong proof.
        (bool ok, bytes memory out) = POINT_EVALUATION.staticcall(input);
        // INVARIANT: every element read is the committed blob's.
        if (!ok || out.length != 64) revert BlobOpeningInvalid(blobIndex, element);
    }

    /// @notice The first stream element of op `opIndex` and how many elements it spans.
    /// @param opIndex    The op's position in the payload.
    /// @param recordSize Bytes per op.
    /// @return first The stream element (blob·4096 + element) holding the op's first byte.
    /// @return count Elements from `first` to the one holding its last byte.
    function opElementRange(uint256 opIndex, uint256 recordSize) internal pure returns (uint256 first, uint256 count) {
        uint256 start = HEADER_BYTES + opIndex * recordSize;
        first = start / DATA_BYTES;
        count = (start % DATA_BYTES + recordSize + DATA_BYTES - 1) / DATA_BYTES;
    }

    /// @notice Op `opIndex` of a blob batch whose payload is `payloadLength` bytes, read from
    ///         verified openings (docs/protocol.md §9): its record bytes when the stream header
    ///         states version 0, zero reserved bytes and length `payloadLength`, else
    ///         `recordSize` zero bytes (a batch whose blobs do not state its payload executes as
    ///         that many zero bytes).
    /// @dev    The caller checks that `data.blobHashes` hash to the batch's dataHash.
    /// @param data          The openings.
    /// @param opIndex       The op, below payloadLength / recordSize.
    /// @param recordSize    Bytes per op.
    /// @param payloadLength The payload length the batch committed to.
    /// @return op The op's `recordSize` bytes.
    function readOp(BlobOpenings calldata data, uint256 opIndex, uint256 recordSize, uint256 payloadLength)
        internal
        view
        returns (bytes memory op)
    {
        op = new bytes(recordSize);
        // INVARIANT: a blob batch has at least one blob (the rollup refuses others).
        if (data.blobHashes.length == 0) revert BlobOpeningOutOfRange(0, 0);
        verify(data.blobHashes[0], 0, 0, data.header);
        if (!_headerStates(uint256(data.header.value), payloadLength)) return op;

        (uint256 first, uint256 count) = opElementRange(opIndex, recordSize);
        // INVARIANT: the openings cover the op exactly.
        if (data.elements.length != count) revert BlobOpeningCountMismatch(data.elements.length, count);
        bytes memory span = new bytes(count * DATA_BYTES);
        for (uint256 k; k < count; ++k) {
            uint256 position = first + k;
            uint256 blobIndex = position / ELEMENTS_PER_BLOB;
            // INVARIANT: the op lies in the batch's blobs.
            if (blobIndex >= data.blobHashes.length) revert BlobOpeningOutOfRange(blobIndex, data.blobHashes.length);
            ElementOpening calldata opening = data.elements[k];
            verify(data.blobHashes[blobIndex], blobIndex, position % ELEMENTS_PER_BLOB, opening);
            // The low 31 bytes of the element, shifted to the top of the word for mstore.
            bytes32 bytes31Word = opening.value << 8;
            assembly ("memory-safe") {
                mstore(add(add(span, 32), mul(k, DATA_BYTES)), bytes31Word)
            }
        }
        uint256 offset = (HEADER_BYTES + opIndex * recordSize) % DATA_BYTES;
        for (uint256 i; i < recordSize; ++i) {
            op[i] = span[offset + i];
        }
    }

    /// @dev Whether a stream header element states version 0, zero reserved bytes and
    ///      `payloadLength`: byte 0 ignored │ version u8 │ length u32 │ 26 reserved bytes.
    function _headerStates(uint256 word, uint256 payloadLength) private pure returns (bool) {
        uint256 version = (word >> 240) & 0xff;
        uint256 length = (word >> 208) & 0xffffffff;
        uint256 reserved = word & ((1 << 208) - 1);
        return version == ENCODING_VERSION && length == payloadLength && reserved == 0;
    }
}
